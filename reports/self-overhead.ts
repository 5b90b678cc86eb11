/**
 * The harness's own overhead in words: one line per figure, with its goal and whether it was met, and
 * the machine's load at the time. `npm run bench:self` prints these lines; the report cites them.
 */
import type { SelfOverhead } from "../core/self-overhead.js";
import { formatMb, formatPercent, formatRate, withMs } from "./format.js";

function verdict(met: boolean): string {
  return met ? "met" : "NOT met";
}

function usAsMs(valueUs: number): string {
  return withMs(valueUs / 1000);
}

/** The scheduler's floor under the send lag, when the file has it: what the machine costs, and what is left for the harness. */
function scheduleFloorLines(open: SelfOverhead["openLoop"]): string[] {
  const floor = open.scheduleFloor;
  if (floor === undefined) return [];
  const harnessShareMs = Math.max(0, open.sendLagP99Ms - floor.p99Ms);
  const floorAboveGoal = floor.p99Ms >= open.goalMaxSendLagP99Ms ? ": this machine's timer alone misses the goal" : "";
  return [
    `  - the same scheduler with no calls at all, at the same rate: late by p50 ${withMs(floor.p50Ms)}, p99 ${withMs(floor.p99Ms)}, max ${withMs(floor.maxMs)} (${floor.samples} wake-ups)${floorAboveGoal}; the harness's share of the send-lag p99 is about ${withMs(harnessShareMs)}`,
  ];
}

/** The figures, one sentence each, in the order they were measured. */
export function selfOverheadLines(figures: SelfOverhead): string[] {
  const { closedVersusRaw: closed, openLoop: open, memory } = figures;
  const load = figures.machine.loadAverage.map((value) => value.toFixed(2)).join(", ");
  const loadAfter = figures.loadAverageAfter.map((value) => value.toFixed(2)).join(", ");
  return [
    `Harness overhead on the ${figures.target} target, ${figures.secondsPerMeasurement} s per measurement, ${figures.finishedAt} (${figures.machine.cores} cores; load average ${load} before, ${loadAfter} after):`,
    `- closed driver vs a bare SDK loop (1 client, echo): p50 ${usAsMs(closed.closedP50Us)} vs ${usAsMs(closed.rawP50Us)}, ratio ${closed.p50Ratio.toFixed(3)} (goal ≤ ${closed.goalMaxRatio.toFixed(2)}: ${verdict(closed.met)}; ${closed.closedCalls} and ${closed.rawCalls} calls)`,
    `- open loop at ${formatRate(open.intendedCallsPerSecond)} calls/s: achieved ${formatRate(open.achievedCallsPerSecond)}/s (off by ${formatPercent(open.rateDeviation)}, goal ≤ ${formatPercent(open.goalMaxRateDeviation)}), send-lag p99 ${withMs(open.sendLagP99Ms)} (goal < ${withMs(open.goalMaxSendLagP99Ms)}), ${open.droppedCalls} dropped, ${open.failedCalls} failed: ${verdict(open.met)}`,
    ...scheduleFloorLines(open),
    `- harness memory at ${formatRate(memory.intendedCallsPerSecond)} calls/s (achieved ${formatRate(memory.achievedCallsPerSecond)}/s): peak RSS ${formatMb(memory.maxRssBytes / 2 ** 20)} (goal < ${formatMb(memory.goalMaxRssBytes / 2 ** 20)}: ${verdict(memory.met)})`,
  ];
}

