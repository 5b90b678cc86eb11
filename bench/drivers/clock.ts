/** Monotonic clock in nanoseconds; injected so tests can control time. */
export type Clock = () => bigint;

export const monotonicClock: Clock = () => process.hrtime.bigint();

export const NS_PER_US = 1000n;
export const NS_PER_MS = 1_000_000n;

export function nsToUs(ns: bigint): number {
  return Number(ns) / 1000;
}

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1_000_000;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1_000_000));
}
