/**
 * `--idle-scale <factor>`: compresses (or stretches) every idle time of a scenario by one factor, so a
 * scenario about minutes of quiet (sporadic traffic) runs in seconds with the same proportions: the
 * idle-gap phases' gaps, a burst's quiet time, the Lambda emulator's keep-alive (before it reaps an idle
 * environment) and docker's scale-to-zero timeout. Whether a call after a gap finds a warm instance
 * depends only on the gap against the keep-alive, and both shrink alike. Applied to raw scenario data
 * before validation, so the results file records the scaled values it ran with.
 */
import { DEFAULT_KEEP_ALIVE_MS } from "../../core/constants.js";

type Raw = Record<string, unknown>;

/** The emulator reaps no sooner than this (core/scenario.ts keepAliveMs minimum). */
const MIN_KEEP_ALIVE_MS = 100;

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Seconds times factor, to the millisecond (a gap of 0 stays 0). */
function scaledSeconds(seconds: number, factor: number): number {
  return Math.round(seconds * factor * 1000) / 1000;
}

function scalePhase(phase: unknown, factor: number): unknown {
  if (!isRecord(phase)) return phase;
  if (phase.driver === "idle-gap" && Array.isArray(phase.gapsSeconds)) {
    return { ...phase, gapsSeconds: phase.gapsSeconds.map((gap: unknown) => (typeof gap === "number" ? scaledSeconds(gap, factor) : gap)) };
  }
  // A burst's idleSeconds defaults to 10 (core/scenario.ts): an absent value is scaled from that default.
  if (phase.driver === "burst") {
    const idleSeconds = typeof phase.idleSeconds === "number" ? phase.idleSeconds : phase.idleSeconds === undefined ? 10 : undefined;
    return idleSeconds === undefined ? phase : { ...phase, idleSeconds: scaledSeconds(idleSeconds, factor) };
  }
  return phase;
}

function scaleLambda(lambda: unknown, factor: number): unknown {
  const config = isRecord(lambda) ? lambda : {};
  const backend = isRecord(config.backend) ? config.backend : { type: "emulator" };
  if (backend.type !== "emulator") return lambda; // AWS and LocalStack keep their own keep-alive
  const keepAliveMs = typeof backend.keepAliveMs === "number" ? backend.keepAliveMs : DEFAULT_KEEP_ALIVE_MS;
  return { ...config, backend: { ...backend, keepAliveMs: Math.max(MIN_KEEP_ALIVE_MS, Math.round(keepAliveMs * factor)) } };
}

function scaleDocker(docker: unknown, factor: number): unknown {
  if (!isRecord(docker) || typeof docker.idleTimeoutSeconds !== "number") return docker;
  // Whole seconds (the schema's unit), at least 1.
  return { ...docker, idleTimeoutSeconds: Math.max(1, Math.round(docker.idleTimeoutSeconds * factor)) };
}

/** The raw scenario with every idle time multiplied by `factor` (> 0). */
export function scaleIdleTimes(raw: Raw, factor: number): Raw {
  const result: Raw = { ...raw, lambda: scaleLambda(raw.lambda, factor) };
  if (Array.isArray(raw.phases)) result.phases = raw.phases.map((phase: unknown) => scalePhase(phase, factor));
  if (raw.docker !== undefined) result.docker = scaleDocker(raw.docker, factor);
  return result;
}
