/** Monotonic clock in nanoseconds; injected so tests can control time. */
export type Clock = () => bigint;

export const monotonicClock: Clock = () => process.hrtime.bigint();


export function nsToUs(ns: bigint): number {
  return Number(ns) / 1000;
}

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1_000_000;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1_000_000));
}
