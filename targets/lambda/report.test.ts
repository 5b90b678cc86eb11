import { describe, expect, it } from "vitest";
import { parseLogResult, parseReportFromLog, parseReportLine } from "./report.js";

const ID = "f2c6b4d2-6c1e-4a5e-9c0a-5d1c7b1e2a33";
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

// Log tails in the shapes of shared/LAMBDA-CONTRACT.md §3 (tab-separated fields, trailing tab, `\n`).
const COLD = [
  `START RequestId: ${ID} Version: $LATEST`,
  `END RequestId: ${ID}`,
  `REPORT RequestId: ${ID}\tDuration: 3.01 ms\tBilled Duration: 114 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t`,
  "",
].join("\n");

const WARM = [
  `START RequestId: ${ID} Version: $LATEST`,
  `END RequestId: ${ID}`,
  `REPORT RequestId: ${ID}\tDuration: 1.53 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\t`,
  "",
].join("\n");

describe("REPORT parsing", () => {
  it("reads a cold-start REPORT with Init Duration", () => {
    expect(parseLogResult(b64(COLD))).toEqual({
      requestId: ID,
      durationMs: 3.01,
      billedDurationMs: 114,
      memorySizeMb: 128,
      maxMemoryUsedMb: 36,
      initDurationMs: 110.1,
    });
  });

  it("reads a warm REPORT without Init Duration", () => {
    const report = parseLogResult(b64(WARM));
    expect(report).toEqual({ requestId: ID, durationMs: 1.53, billedDurationMs: 2, memorySizeMb: 1024, maxMemoryUsedMb: 80 });
    expect(report && "initDurationMs" in report).toBe(false);
  });

  it("adds the emulator's Sandbox Creation from its EMULATOR line with the same RequestId", () => {
    const other = "00000000-0000-4000-8000-000000000000";
    const log = [
      `START RequestId: ${ID} Version: $LATEST`,
      `END RequestId: ${ID}`,
      `EMULATOR RequestId: ${other}\tSandbox Creation: 5.00 ms`,
      `EMULATOR RequestId: ${ID}\tSandbox Creation: 97.12 ms`,
      `REPORT RequestId: ${ID}\tDuration: 3.01 ms\tBilled Duration: 114 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t`,
      "",
    ].join("\n");
    expect(parseLogResult(b64(log))).toEqual({ requestId: ID, durationMs: 3.01, billedDurationMs: 114, memorySizeMb: 128, maxMemoryUsedMb: 36, initDurationMs: 110.1, sandboxCreationMs: 97.12 });
    expect(parseLogResult(b64(COLD))).not.toHaveProperty("sandboxCreationMs");
    expect(parseLogResult(b64(log.replace(`EMULATOR RequestId: ${ID}`, `EMULATOR RequestId: ${other}`)))).not.toHaveProperty("sandboxCreationMs");
  });

  it("reads a REPORT without Max Memory Used (the emulator could not sample memory)", () => {
    const log = `END RequestId: ${ID}\nREPORT RequestId: ${ID}\tDuration: 1.53 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tInit Duration: 80.00 ms\t\n`;
    const report = parseLogResult(b64(log));
    expect(report).toEqual({ requestId: ID, durationMs: 1.53, billedDurationMs: 2, memorySizeMb: 1024, initDurationMs: 80 });
    expect(report && "maxMemoryUsedMb" in report).toBe(false);
  });

  it("reads a timeout REPORT with Status", () => {
    const log = [
      `START RequestId: ${ID} Version: $LATEST`,
      `2025-11-20T10:00:03.000Z ${ID} Task timed out after 3.00 seconds`,
      `END RequestId: ${ID}`,
      `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout\t`,
      "",
    ].join("\n");
    expect(parseLogResult(b64(log))).toMatchObject({ durationMs: 3000, billedDurationMs: 3000, status: "timeout" });
  });

  it("reads an error REPORT with Status and Error Type after Init Duration", () => {
    const line = `REPORT RequestId: ${ID}\tDuration: 601.73 ms\tBilled Duration: 697 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tInit Duration: 94.33 ms\tStatus: error\tError Type: Runtime.OutOfMemory\t`;
    expect(parseReportLine(line)).toEqual({
      requestId: ID,
      durationMs: 601.73,
      billedDurationMs: 697,
      memorySizeMb: 128,
      maxMemoryUsedMb: 128,
      initDurationMs: 94.33,
      status: "error",
      errorType: "Runtime.OutOfMemory",
    });
  });

  it("ignores an XRAY line after the REPORT and app log lines before it", () => {
    const log = [
      `START RequestId: ${ID} Version: $LATEST`,
      `2025-11-20T10:00:00.100Z\t${ID}\tINFO\tDuration: 99 ms is not a REPORT field`,
      `2025-11-20T10:00:00.101Z\t${ID}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"boom","stack":["Error: boom"]}`,
      `END RequestId: ${ID}`,
      `REPORT RequestId: ${ID}\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 512 MB\tMax Memory Used: 91 MB\tInit Duration: 265.72 ms\t`,
      `XRAY TraceId: 1-5e1b4151-43a0913a12345678901234567\tSegmentId: 0ea0e6cb2b4a4f6d\tSampled: true\t`,
      "",
    ].join("\n");
    expect(parseLogResult(b64(log))).toEqual({
      requestId: ID,
      durationMs: 395.99,
      billedDurationMs: 662,
      memorySizeMb: 512,
      maxMemoryUsedMb: 91,
      initDurationMs: 265.72,
    });
  });

  it("does not depend on field order (the RIE prints Init Duration first) nor on the trailing tab", () => {
    const line = `REPORT RequestId: ${ID}\tInit Duration: 0.25 ms\tDuration: 2.10 ms\tBilled Duration: 3 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB`;
    expect(parseReportFromLog(`${line}\n`)).toEqual({
      requestId: ID,
      durationMs: 2.1,
      billedDurationMs: 3,
      memorySizeMb: 3008,
      maxMemoryUsedMb: 3008,
      initDurationMs: 0.25,
    });
  });

  it("reads a tail whose head was cut at 4 KB and CRLF line ends", () => {
    const log = `…ated text\r\nEND RequestId: ${ID}\r\nREPORT RequestId: ${ID}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t\r\n`;
    expect(parseLogResult(b64(log))?.durationMs).toBe(1);
  });

  it("returns undefined when there is no REPORT line, no LogResult, or a REPORT without required fields", () => {
    expect(parseLogResult(undefined)).toBeUndefined();
    expect(parseLogResult("")).toBeUndefined();
    expect(parseLogResult(b64(`START RequestId: ${ID} Version: $LATEST\nEND RequestId: ${ID}\n`))).toBeUndefined();
    expect(parseReportLine(`REPORT RequestId: ${ID}\tDuration: 1.00 ms\t`)).toBeUndefined();
    expect(parseReportLine(`REPORT RequestId: ${ID}\tDuration: fast\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t`)).toBeUndefined();
  });
});
