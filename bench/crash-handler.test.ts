import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../core/errors.js";
import { installCrashHandler, type CrashEvent } from "./crash-handler.js";

/** An injected event source plus a fake sweep and exit that record, in order, what the handler did. */
function harness() {
  const events = new EventEmitter();
  const logs: string[] = [];
  const calls: string[] = [];
  const uninstall = installCrashHandler({
    runId: "run-123",
    events,
    log: (line) => logs.push(line),
    sweep: (runId) => {
      calls.push(`sweep ${runId}`);
      return { killedProcesses: 2, removedContainers: 5 };
    },
    exit: (code) => {
      calls.push(`exit ${code}`);
    },
  });
  return { events, logs, calls, uninstall };
}

const CRASH_EVENTS: readonly CrashEvent[] = ["uncaughtException", "unhandledRejection"];

describe("installCrashHandler", () => {
  it.each(CRASH_EVENTS)("on %s: logs the crash, sweeps the run, logs what was removed, exits 3", (event) => {
    const { events, logs, calls } = harness();
    events.emit(event, new Error("boom from a timer"));
    expect(calls).toEqual(["sweep run-123", `exit ${EXIT_CODES.internal}`]);
    expect(EXIT_CODES.internal).toBe(3);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^crashed: Error: boom from a timer\n\s+at /);
    expect(logs[1]).toContain("Removed 5 container(s), killed 2 process(es)");
  });

  it("describes a rejection that is not an Error", () => {
    const { events, logs, calls } = harness();
    events.emit("unhandledRejection", { reason: "not an error" });
    expect(logs[0]).toBe("crashed: { reason: 'not an error' }");
    expect(calls).toEqual(["sweep run-123", "exit 3"]);
  });

  it("still exits 3 when the sweep throws", () => {
    const events = new EventEmitter();
    const logs: string[] = [];
    const exits: number[] = [];
    installCrashHandler({
      runId: "run-456",
      events,
      log: (line) => logs.push(line),
      sweep: () => {
        throw new Error("docker hung");
      },
      exit: (code) => {
        exits.push(code);
      },
    });
    events.emit("uncaughtException", new Error("boom"));
    expect(exits).toEqual([3]);
    expect(logs[1]).toContain("docker hung");
  });

  it("handles only the first crash", () => {
    const { events, calls } = harness();
    events.emit("uncaughtException", new Error("first"));
    expect(events.listenerCount("unhandledRejection")).toBe(0);
    expect(calls).toEqual(["sweep run-123", "exit 3"]);
  });

  it("removes its listeners when uninstalled", () => {
    const { events, calls, uninstall } = harness();
    for (const event of CRASH_EVENTS) expect(events.listenerCount(event)).toBe(1);
    uninstall();
    for (const event of CRASH_EVENTS) expect(events.listenerCount(event)).toBe(0);
    expect(calls).toEqual([]);
  });
});
