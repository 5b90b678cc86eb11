import { describe, expect, it } from "vitest";
import { settleTimed } from "../test/helpers/black-hole.js";
import { isDeadlineError, withDeadline } from "./child-signal.js";

/** An operation that never settles and ignores its signal: the worst a library can do. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

describe("withDeadline", () => {
  it("fails with a TimeoutError naming what timed out, even when the operation ignores its signal", async () => {
    const { elapsedMs, error } = await settleTimed(withDeadline(undefined, 200, "the thing", never));
    expect(isDeadlineError(error)).toBe(true);
    expect(String(error)).toMatch(/the thing did not answer within 200 ms/);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it("stops at once when the outer signal aborts, with its reason, and aborts the operation's signal", async () => {
    const outer = new AbortController();
    let inner: AbortSignal | undefined;
    const running = withDeadline(outer.signal, 60_000, "the thing", (signal) => {
      inner = signal;
      return never();
    });
    setTimeout(() => outer.abort(new Error("Ctrl-C")), 50);
    const { elapsedMs, error } = await settleTimed(running);
    expect(String(error)).toMatch(/Ctrl-C/);
    expect(inner?.aborted).toBe(true);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it("returns the operation's result and leaves no listener on the outer signal", async () => {
    const outer = new AbortController();
    let listeners = 0;
    const add = outer.signal.addEventListener.bind(outer.signal);
    outer.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    const remove = outer.signal.removeEventListener.bind(outer.signal);
    outer.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    await expect(withDeadline(outer.signal, 1_000, "the thing", async () => 42)).resolves.toBe(42);
    expect(listeners).toBe(0);
  });

  it("refuses to start when the outer signal has already aborted", async () => {
    const outer = new AbortController();
    outer.abort(new Error("stopped before"));
    await expect(withDeadline(outer.signal, 1_000, "the thing", async () => 1)).rejects.toThrow(/stopped before/);
  });
});
