/**
 * Cold-start phase arithmetic shared by the docker and process targets (pure, unit-tested).
 *
 * A cold start is a sequence of instants on one timeline, the host's monotonic clock
 * (performance.now()): "requested" and then one mark per phase end. Some marks come from other clocks
 * — Docker's State.StartedAt and the server's listening-line time are wall-clock epoch ms — and are
 * moved onto the host timeline with an epoch offset calibrated at the time of the sample. Wall clocks
 * are not monotonic and log timestamps are not perfectly aligned, so such a mark can land slightly
 * before the previous one or after the next host-measured one; it is clamped into place (and the
 * sample says so) rather than producing a negative phase. Phases therefore always sum to totalMs.
 */
import type { ColdStartPhase } from "../core/cold-start.js";

export interface PhaseMark {
  readonly name: string;
  /** Host monotonic ms (performance.now() timeline) at which the phase ended. */
  readonly atMs: number;
}

export interface PhaseBreakdown {
  readonly phases: ColdStartPhase[];
  readonly totalMs: number;
  /** Largest distance (ms) a mark had to be moved to keep the sequence ordered; 0 when none was. */
  readonly clampedMs: number;
}

/**
 * Turns marks into phases. Each mark is clamped into [previous mark, every later mark] (the last mark —
 * host-measured in both targets — defines the total), so phases are ≥ 0 and sum exactly to totalMs.
 */
export function phasesFromMarks(requestedAtMs: number, marks: readonly PhaseMark[]): PhaseBreakdown {
  const suffixMin: number[] = new Array<number>(marks.length);
  let minimum = Number.POSITIVE_INFINITY;
  for (let index = marks.length - 1; index >= 0; index--) {
    suffixMin[index] = minimum;
    minimum = Math.min(minimum, marks[index]?.atMs ?? minimum);
  }
  const phases: ColdStartPhase[] = [];
  let previous = requestedAtMs;
  let clampedMs = 0;
  for (const [index, mark] of marks.entries()) {
    const upper = suffixMin[index] ?? Number.POSITIVE_INFINITY;
    const at = Math.max(previous, Math.min(mark.atMs, upper));
    clampedMs = Math.max(clampedMs, Math.abs(at - mark.atMs));
    phases.push({ name: mark.name, durationMs: at - previous });
    previous = at;
  }
  return { phases, totalMs: previous - requestedAtMs, clampedMs };
}

/** Sums phase durations (what totalMs must equal). */
export function sumPhasesMs(phases: readonly ColdStartPhase[]): number {
  return phases.reduce((sum, phase) => sum + phase.durationMs, 0);
}

export interface Clocks {
  /** Monotonic ms. */
  readonly monotonicMs: () => number;
  /** Wall clock epoch ms (integer resolution is fine). */
  readonly wallMs: () => number;
}

const systemClocks: Clocks = { monotonicMs: () => performance.now(), wallMs: () => Date.now() };

/** Bound of the calibration spin: Date.now() ticks every ms, so 3 ms always sees an edge. */
const CALIBRATION_SPIN_MS = 3;

/**
 * Offset such that `wallEpochMs ≈ monotonicMs + offset`, measured now (not performance.timeOrigin,
 * which is fixed at process start while the wall clock is slewed by NTP during a long run). Spins until
 * Date.now() ticks, where the wall clock is exactly an integer: sub-millisecond accuracy.
 */
export function calibrateEpochOffsetMs(clocks: Clocks = systemClocks): number {
  const startMonotonic = clocks.monotonicMs();
  const startWall = clocks.wallMs();
  let monotonic = startMonotonic;
  for (let spins = 0; spins < 1_000_000 && monotonic - startMonotonic < CALIBRATION_SPIN_MS; spins++) {
    monotonic = clocks.monotonicMs();
    const wall = clocks.wallMs();
    if (wall !== startWall) return wall - monotonic;
  }
  return startWall - startMonotonic;
}

/**
 * Docker timestamps (RFC 3339 with up to nanoseconds, e.g. "2025-06-01T10:11:12.123456789Z" or with a
 * "+02:00" offset) as epoch ms with the sub-millisecond part kept. undefined if unparseable.
 */
export function parseDockerTimestampMs(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  const [, seconds, fraction = "", zone] = match;
  if (seconds === undefined || zone === undefined) return undefined;
  const wholeMs = Date.parse(`${seconds}${zone}`);
  if (!Number.isFinite(wholeMs)) return undefined;
  // "0001-01-01T00:00:00Z" is Docker's "never"; treat as missing.
  if (wholeMs <= 0) return undefined;
  return wholeMs + (fraction === "" ? 0 : Number(`0.${fraction}`) * 1000);
}
