import { describe, expect, it } from "vitest";
import { SharedStart } from "./shared-start.js";

describe("SharedStart", () => {
  it("starts once for concurrent callers, retries after a failed start, and hands the instance over on take", async () => {
    const shared = new SharedStart<number>();
    let starts = 0;
    const failing = () => {
      starts++;
      return Promise.reject(new Error("port in use"));
    };
    const [first, second] = [shared.get(failing), shared.get(failing)];
    await expect(first).rejects.toThrow("port in use");
    await expect(second).rejects.toThrow("port in use");
    expect(starts).toBe(1);

    const ok = () => {
      starts++;
      return Promise.resolve(starts);
    };
    expect(await shared.get(ok)).toBe(2);
    expect(await shared.get(ok)).toBe(2);
    expect(starts).toBe(2);

    expect(await shared.take()).toBe(2);
    expect(shared.take()).toBeUndefined();
    expect(await shared.get(ok)).toBe(3);
  });
});
