/**
 * The open loop's clock-driven schedule: call `index` is due at start + index × interval, and the
 * scheduler waits for each due time with a timer. One function, so `npm run bench:self` can measure the
 * scheduler's own floor (its lateness with no calls at all) with exactly what the open loop uses.
 *
 * A Node timer may fire up to about a millisecond early (libuv's loop time is cached and whole
 * milliseconds) and late by whatever the machine and the event loop add. Early is harmless for the rate
 * (the schedule, not the timer, sets it); the open loop charges latency from the actual send when a call
 * left early (tally.ts), so an early timer never shortens a figure.
 */
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from "node:timers/promises";
import { nsToMs, type Clock } from "./clock.js";

/** When call `index` of a schedule at `ratePerSecond` starting at `startNs` is due. */
export function dueNs(startNs: bigint, ratePerSecond: number, index: number): bigint {
  return startNs + BigInt(Math.round((index * 1e9) / ratePerSecond));
}

/**
 * Waits until `dueAtNs` (a timer), or one event-loop turn when it is already due, so finished calls can
 * hand their clients back first. Rejects when `signal` aborts.
 */
export async function waitUntilDue(clock: Clock, dueAtNs: bigint, signal: AbortSignal): Promise<void> {
  const waitNs = dueAtNs - clock();
  await (waitNs > 0n ? sleep(nsToMs(waitNs), undefined, { signal }) : yieldToEventLoop(undefined, { signal }));
}

/**
 * The scheduler's floor on this machine: how late `waitUntilDue` wakes (µs, early counted as 0) for
 * `count` due times at `ratePerSecond`, with nothing else to do. The open loop's send lag above this is
 * the harness's own; the floor itself is the timer and the machine (a shared or virtual CPU's steal).
 */
export async function measureScheduleLatenessUs(clock: Clock, ratePerSecond: number, count: number, signal: AbortSignal): Promise<number[]> {
  const latenessUs: number[] = [];
  const startNs = clock();
  for (let index = 0; index < count && !signal.aborted; index++) {
    const due = dueNs(startNs, ratePerSecond, index);
    await waitUntilDue(clock, due, signal);
    const lateNs = clock() - due;
    latenessUs.push(lateNs > 0n ? Number(lateNs) / 1000 : 0);
  }
  return latenessUs;
}
