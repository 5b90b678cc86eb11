import { describe, expect, it } from "vitest";
import { EXIT_CODES, exitCodeFor, HarnessError, printError } from "./errors.js";

describe("exit codes", () => {
  it("come from one table: bad input 2, target or environment 1, harness bugs 3", () => {
    expect(exitCodeFor(new HarnessError("SCENARIO_INVALID", "x"))).toBe(EXIT_CODES.badInput);
    expect(exitCodeFor(new HarnessError("DOCKER_UNAVAILABLE", "x"))).toBe(EXIT_CODES.targetFailed);
    expect(exitCodeFor(new HarnessError("RESULTS_SCHEMA_MISMATCH", "x"))).toBe(EXIT_CODES.internal);
    expect(exitCodeFor(new Error("a bug"))).toBe(EXIT_CODES.internal);
  });

  it("printError prints a HarnessError's message and fix without a stack, and a bug as one, its stack only with debug", () => {
    let text = "";
    const stream = { write: (chunk: string) => (text += chunk) };
    expect(printError(new HarnessError("BAD_FLAG", "--run-id is bad", { hint: "use letters" }), stream)).toBe(2);
    expect(text).toContain("error: --run-id is bad\n  fix: use letters");
    expect(text).not.toContain("    at ");
    text = "";
    expect(printError(new TypeError("undefined is not a function"), stream, { debug: false })).toBe(3);
    expect(text).toContain("undefined is not a function (an internal error in mcp-deploy-bench)");
    expect(text).toContain("fix: re-run with --debug");
    expect(text).not.toContain("    at ");
    text = "";
    expect(printError(new TypeError("undefined is not a function"), stream, { debug: true })).toBe(3);
    expect(text).toContain("TypeError: undefined is not a function");
    expect(text).toContain("    at ");
  });
});
