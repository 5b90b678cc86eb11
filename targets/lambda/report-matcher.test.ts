import { describe, expect, it } from "vitest";
import { waitForReport, type InvocationLogSource } from "./report-matcher.js";

const ID = "8f5e7a51-0000-4000-8000-000000000001";
const REPORT = `REPORT RequestId: ${ID}\tDuration: 3.50 ms\tBilled Duration: 4 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\tInit Duration: 120.25 ms\t`;

/** A fake clock: pausing advances it; the log source sees it to decide when lines "arrive". */
function fakeClock() {
  let nowMs = 0;
  return { nowMs: () => nowMs, pause: async (ms: number) => void (nowMs += ms) };
}

describe("REPORT matching by request id (bounded wait for late lines)", () => {
  it("finds a REPORT line that arrives late, within the wait", async () => {
    const clock = fakeClock();
    let lookups = 0;
    const source: InvocationLogSource = async (requestId) => {
      lookups++;
      return clock.nowMs() < 1_500 ? undefined : [`START RequestId: ${requestId}`, `END RequestId: ${requestId}`, REPORT];
    };
    const report = await waitForReport(source, ID, { timeoutMs: 5_000, pollIntervalMs: 250, ...clock }, new AbortController().signal);
    expect(report).toMatchObject({ requestId: ID, initDurationMs: 120.25, billedDurationMs: 4, maxMemoryUsedMb: 80 });
    expect(lookups).toBe(7); // at 0, 250 … 1500 ms
  });

  it("gives up at the deadline (undefined, bounded lookups) when the line never comes", async () => {
    const clock = fakeClock();
    let lookups = 0;
    const source: InvocationLogSource = async () => {
      lookups++;
      return [`START RequestId: ${ID}`]; // the invocation's lines so far, REPORT not yet written
    };
    expect(await waitForReport(source, ID, { timeoutMs: 1_000, pollIntervalMs: 100, ...clock }, new AbortController().signal)).toBeUndefined();
    expect(lookups).toBe(11);
    expect(clock.nowMs()).toBe(1_000);
  });

  it("treats a failing lookup as 'not yet', never takes another request's REPORT, and stops when aborted", async () => {
    const clock = fakeClock();
    let calls = 0;
    const source: InvocationLogSource = async () => {
      calls++;
      if (calls === 1) throw new Error("ThrottlingException");
      return [REPORT.replace(ID, "someone-else")];
    };
    expect(await waitForReport(source, ID, { timeoutMs: 300, pollIntervalMs: 100, ...clock }, new AbortController().signal)).toBeUndefined();
    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await expect(waitForReport(source, ID, { timeoutMs: 300, pollIntervalMs: 100, ...clock }, aborted.signal)).rejects.toThrow("stop");
  });
});
