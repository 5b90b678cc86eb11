/**
 * CPU time this Node process (the harness: clients, recorder) spends during a phase, as a percentage
 * of one core. process.cpuUsage() counts this process only, never its children: the Lambda emulator,
 * which runs as a child process in a bench run, is not counted here. A harness near 100% of a
 * core queues calls on the client side, and that queueing ends up in the target's latency: the report
 * warns when it happens.
 */
import { performance } from "node:perf_hooks";

/** Starts measuring; the returned function gives the percentage of one core used since the start. */
export function startHarnessCpuMeter(): () => number {
  const cpuStart = process.cpuUsage();
  const wallStartMs = performance.now();
  return () => {
    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStartMs;
    if (!(wallMs > 0)) return 0;
    return Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10;
  };
}
