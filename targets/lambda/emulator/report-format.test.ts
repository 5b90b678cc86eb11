import { describe, expect, it } from "vitest";
import { parseReportFromLog } from "../report.js";
import { billedDurationMs, formatEmulatorLine, formatEndLine, formatInitReportLine, formatReportLine, formatStartLine, tailLogBase64, TAIL_LOG_BYTES } from "./report-format.js";

const id = "6a328384-68e6-444a-899b-38adba880219";

describe("log line formatting (LAMBDA-CONTRACT §3)", () => {
  it("formats START and END with spaces, no tabs", () => {
    expect(formatStartLine(id)).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(formatEndLine(id)).toBe(`END RequestId: ${id}`);
  });

  it("formats a warm REPORT: tab before every field and a trailing tab", () => {
    expect(formatReportLine({ requestId: id, durationMs: 3.014, memorySizeMb: 128, maxMemoryUsedMb: 36 })).toBe(
      `REPORT RequestId: ${id}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\t`,
    );
  });

  it("formats a cold REPORT with Init Duration after Max Memory Used and bills init (since 2025-08-01)", () => {
    expect(formatReportLine({ requestId: id, durationMs: 395.99, initDurationMs: 265.72, memorySizeMb: 128, maxMemoryUsedMb: 70 })).toBe(
      `REPORT RequestId: ${id}\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 265.72 ms\t`,
    );
  });

  it("appends Status: timeout, or Status: error with Error Type", () => {
    expect(formatReportLine({ requestId: id, durationMs: 1000, memorySizeMb: 128, maxMemoryUsedMb: 40, status: { kind: "timeout" } })).toBe(
      `REPORT RequestId: ${id}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout\t`,
    );
    expect(
      formatReportLine({ requestId: id, durationMs: 2, initDurationMs: 100, memorySizeMb: 128, maxMemoryUsedMb: 40, status: { kind: "error", errorType: "Runtime.ExitError" } }),
    ).toMatch(/\tInit Duration: 100\.00 ms\tStatus: error\tError Type: Runtime\.ExitError\t$/);
  });

  it("leaves Max Memory Used out when no sample exists", () => {
    expect(formatReportLine({ requestId: id, durationMs: 3.014, memorySizeMb: 128 })).toBe(`REPORT RequestId: ${id}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\t`);
  });

  it("formats the emulator's own Sandbox Creation line", () => {
    expect(formatEmulatorLine(id, 97.123)).toBe(`EMULATOR RequestId: ${id}\tSandbox Creation: 97.12 ms`);
  });

  it("formats INIT_REPORT", () => {
    expect(formatInitReportLine({ initDurationMs: 150.789, phase: "init", status: { kind: "error", errorType: "Runtime.UserCodeSyntaxError" } })).toBe(
      "INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\tError Type: Runtime.UserCodeSyntaxError",
    );
    expect(formatInitReportLine({ initDurationMs: 10007.33, phase: "init", status: { kind: "timeout" } })).toBe("INIT_REPORT Init Duration: 10007.33 ms\tPhase: init\tStatus: timeout");
  });

  it("bills ceil(Duration + Init Duration) as printed", () => {
    expect(billedDurationMs(3.01)).toBe(4);
    expect(billedDurationMs(601.73, 94.33)).toBe(697);
    expect(billedDurationMs(31000, 2189.8)).toBe(33190);
    expect(billedDurationMs(1000)).toBe(1000);
  });
});

describe("REPORT parsing by the client (targets/lambda/report.ts)", () => {
  it("round-trips formatted lines, optional fields and the EMULATOR line included", () => {
    const line = formatReportLine({ requestId: id, durationMs: 12.5, initDurationMs: 110.1, memorySizeMb: 512, maxMemoryUsedMb: 80, status: { kind: "error", errorType: "Runtime.OutOfMemory" } });
    expect(parseReportFromLog(`START RequestId: ${id} Version: $LATEST\nEND RequestId: ${id}\n${formatEmulatorLine(id, 97.12)}\n${line}\n`)).toEqual({
      requestId: id,
      durationMs: 12.5,
      billedDurationMs: 123,
      memorySizeMb: 512,
      maxMemoryUsedMb: 80,
      initDurationMs: 110.1,
      status: "error",
      errorType: "Runtime.OutOfMemory",
      sandboxCreationMs: 97.12,
    });
    const warm = formatReportLine({ requestId: id, durationMs: 1, memorySizeMb: 512 });
    expect(parseReportFromLog(`${warm}\n`)).toEqual({ requestId: id, durationMs: 1, billedDurationMs: 1, memorySizeMb: 512 });
  });

  it("parses a REPORT recorded from AWS and rejects lines without the tab structure", () => {
    const aws = `REPORT RequestId: ${id}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t`;
    expect(parseReportFromLog(aws)).toMatchObject({ durationMs: 3.01, billedDurationMs: 4, initDurationMs: 110.1 });
    expect(parseReportFromLog(`REPORT RequestId: ${id} Duration: 3.01 ms Billed Duration: 4 ms`)).toBeUndefined();
    expect(parseReportFromLog("no report here")).toBeUndefined();
  });
});

describe("Tail log", () => {
  it("is base64 of the whole log when short, each line ending in \\n", () => {
    const lines = [formatStartLine(id), formatEndLine(id)];
    expect(Buffer.from(tailLogBase64(lines), "base64").toString("utf8")).toBe(`${lines[0]}\n${lines[1]}\n`);
  });

  it("keeps only the last 4096 bytes, so the REPORT line survives a noisy invocation", () => {
    const report = formatReportLine({ requestId: id, durationMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 1 });
    const lines = [formatStartLine(id), ...Array.from({ length: 500 }, (_, index) => `log line ${index}`), formatEndLine(id), report];
    const tail = Buffer.from(tailLogBase64(lines), "base64");
    expect(tail.length).toBe(TAIL_LOG_BYTES);
    expect(tail.toString("utf8").endsWith(`${report}\n`)).toBe(true);
    expect(tail.toString("utf8")).not.toContain("START RequestId");
  });
});
