import { describe, expect, it } from "vitest";
import { MemorySampler } from "./memory-sampler.js";

describe("MemorySampler", () => {
  it("keeps the peak, runs at most one read at a time, and one more for samples asked meanwhile", async () => {
    const pending: ((valueMb: number | undefined) => void)[] = [];
    let unreadable = 0;
    const sampler = new MemorySampler({ read: () => new Promise((resolve) => pending.push(resolve)), onUnreadable: () => (unreadable += 1) });
    sampler.sample();
    sampler.sample();
    sampler.sample();
    expect(pending).toHaveLength(1);
    pending[0]?.(40);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sampler.peakMb).toBe(40);
    expect(pending).toHaveLength(2); // the samples asked for during the first read: one more read
    pending[1]?.(30);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sampler.peakMb).toBe(40); // a peak never goes down
    sampler.sample();
    pending[2]?.(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unreadable).toBe(1);
    sampler.stop();
    sampler.sample();
    expect(pending).toHaveLength(3);
  });
});
