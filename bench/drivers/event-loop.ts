/**
 * How the harness's own event loop fared during a phase: how late it ran timers and I/O callbacks
 * (delay) and how busy it was (utilisation). A late loop delays sends and completion stamps, so the
 * report can tell harness queueing from target latency.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { EventLoopStats } from "../../core/phase-result.js";

const RESOLUTION_MS = 10;

/** Starts measuring; the returned function stops and gives the figures since the start. */
export function startEventLoopMonitor(): () => EventLoopStats {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const utilizationStart = performance.eventLoopUtilization();
  delay.enable();
  return () => {
    delay.disable();
    const utilization = performance.eventLoopUtilization(utilizationStart).utilization;
    // The histogram holds the time between samples, the resolution included: subtract it (µs precision).
    const late = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, Math.round(ns / 1000 - RESOLUTION_MS * 1000)) / 1000 : 0);
    return {
      delayP50Ms: late(delay.percentile(50)),
      delayP99Ms: late(delay.percentile(99)),
      delayMaxMs: late(delay.max),
      utilization: Number.isFinite(utilization) ? Math.min(1, Math.max(0, Math.round(utilization * 1000) / 1000)) : 0,
    };
  };
}
