/** Scale to zero without Docker: the idle clock, and a client that reconnects when its replica's container changed. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CallResult } from "../../core/calls.js";
import type { McpCallClient } from "../call-client.js";
import { IdleStopper, ReconnectingClient, type AwakeReplica } from "./scale-to-zero.js";

afterEach(() => {
  vi.useRealTimers();
});

const echo = { name: "echo", arguments: { text: "x" } };

/** A replica that a test can "stop": the next wake starts a new container (a new id) and says so. */
function fakeReplica() {
  let generation = 1;
  let stopped = false;
  const sessions: string[] = [];
  const closed: string[] = [];
  const wake = async (): Promise<AwakeReplica> => {
    const started = stopped;
    if (stopped) generation += 1;
    stopped = false;
    return { id: `c${generation}`, url: `http://127.0.0.1:1/mcp#${generation}`, started };
  };
  const connect = async (replica: AwakeReplica): Promise<McpCallClient> => {
    sessions.push(replica.id);
    return {
      callTool: async (): Promise<CallResult> => ({ outcome: "ok" }),
      [Symbol.asyncDispose]: async () => {
        closed.push(replica.id);
      },
    };
  };
  return { wake, connect, sessions, closed, stop: () => (stopped = true) };
}

describe("idle clock", () => {
  it("fires after the idle timeout, never while a call is in flight, and is re-armed when the last call ends", () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const idle = new IdleStopper(1_000, onIdle);
    idle.arm();
    idle.begin();
    vi.advanceTimersByTime(5_000);
    expect(onIdle).not.toHaveBeenCalled(); // a call in flight
    idle.end();
    vi.advanceTimersByTime(999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    idle.dispose();
    idle.arm();
    vi.advanceTimersByTime(5_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

describe("reconnecting client", () => {
  it("keeps its session while the container lives, and after a stop reconnects in the call and marks it as having started the instance", async () => {
    const replica = fakeReplica();
    const client = new ReconnectingClient({ wake: replica.wake, connect: replica.connect, idle: new IdleStopper(60_000, () => {}) });
    await client.open(new AbortController().signal);
    expect(await client.callTool(echo)).toEqual({ outcome: "ok" });
    expect(await client.callTool(echo)).toEqual({ outcome: "ok" });
    replica.stop();
    expect(await client.callTool(echo)).toEqual({ outcome: "ok", instanceStarted: true });
    expect(await client.callTool(echo)).toEqual({ outcome: "ok" });
    expect(replica.sessions).toEqual(["c1", "c2"]);
    expect(replica.closed).toEqual(["c1"]);
    await client[Symbol.asyncDispose]();
    expect(replica.closed).toEqual(["c1", "c2"]);
  });

  it("a replica that cannot be started again is a failed call, not a crash", async () => {
    const client = new ReconnectingClient({
      wake: async () => {
        throw new Error("port in use");
      },
      connect: fakeReplica().connect,
      idle: new IdleStopper(60_000, () => {}),
    });
    const result = await client.callTool(echo);
    expect(result.outcome).not.toBe("ok");
    expect(result.error).toMatch(/could not be reached: .*port in use/);
  });
});
