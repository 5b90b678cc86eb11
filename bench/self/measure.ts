/**
 * The measurements of `npm run bench:self`, against one warm process-target instance, one after another:
 *   1. a bare SDK `Client.callTool` loop (the same HTTP client the targets use, nothing of the harness
 *      around it) versus the harness's closed driver at one client — the p50 ratio is what the driver,
 *      the recorder and the tally add to a call;
 *   2. the open loop at 500 calls/s: achieved rate versus intended, and the send lag (how late calls
 *      left against their schedule), after the same scheduler alone with no calls (its floor on this
 *      machine: timer and CPU steal, not the harness);
 *   3. the open loop at 1,000 calls/s while the harness's resident set size is sampled.
 * They measure; formatting is reports/self-overhead.ts's.
 */
import { performance } from "node:perf_hooks";
import type { ToolCall } from "../../core/calls.js";
import { createHistogram, decodeHistogram, histogramStats, mergeHistograms, recordClamped } from "../../core/histogram.js";
import type { LoadPhaseResult } from "../../core/phase-result.js";
import { SELF_OVERHEAD_GOALS as GOALS, type SelfOverhead } from "../../core/self-overhead.js";
import type { Metric } from "../../core/series.js";
import { openHttpSdkClient } from "../../targets/http-client.js";
import type { ProvisionedTarget } from "../../targets/target.js";
import { monotonicClock, nsToUs } from "../drivers/clock.js";
import { runClosedPhase } from "../drivers/closed.js";
import { runOpenPhase } from "../drivers/open.js";
import { measureScheduleLatenessUs } from "../drivers/schedule.js";
import type { LoadContext } from "../drivers/types.js";
import { Recorder } from "../recorder/recorder.js";

/** The call every measurement makes: the cheapest tool, so the harness's share is as large as it gets. */
const ECHO: ToolCall = { name: "echo", arguments: { text: "hello" } };
/** How often the harness's RSS is sampled during the memory measurement. */
const RSS_SAMPLE_INTERVAL_MS = 100;
/** Longest the scheduler's floor is measured (its samples need no server, only a quiet timer). */
const MAX_FLOOR_SECONDS = 10;
/** Open-loop clients: ample for 1,000 calls/s of sub-millisecond echo calls. */
const OPEN_LOOP_MAX_IN_FLIGHT = 64;

export interface SelfMeasureOptions {
  readonly target: ProvisionedTarget;
  /** The warm instance's endpoint (the raw loop connects to it directly). */
  readonly url: string;
  /** Length of each measurement, after its warm-up. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly callTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly onStatus?: (line: string) => void;
}

export type SelfFigures = Pick<SelfOverhead, "closedVersusRaw" | "openLoop" | "memory">;

/** p-th percentile (µs) over every series of `phase` and `metric` in the recorder, merged. */
function percentileUs(recorder: Recorder, phase: string, metric: Metric, percentile: number, outcome?: string): number {
  const histograms = recorder
    .snapshot()
    .filter((series) => series.phase === phase && series.metric === metric && (outcome === undefined || series.outcome === outcome))
    .map((series) => decodeHistogram(series.histogram));
  if (histograms.length === 0) return 0;
  return mergeHistograms(histograms).getValueAtPercentile(percentile);
}

/** A bare SDK loop: one client, back to back, timed around callTool only. */
async function rawSdkLoop(options: SelfMeasureOptions): Promise<{ calls: number; p50Us: number }> {
  const { client, close } = await openHttpSdkClient({ url: options.url, callTimeoutMs: options.callTimeoutMs, signal: options.signal });
  const latencyUs = createHistogram();
  try {
    const warmEndMs = performance.now() + options.warmupSeconds * 1000;
    const endMs = warmEndMs + options.seconds * 1000;
    while (!options.signal.aborted && performance.now() < endMs) {
      const sentNs = monotonicClock();
      await client.callTool({ name: ECHO.name, arguments: { ...ECHO.arguments } });
      if (performance.now() >= warmEndMs) recordClamped(latencyUs, nsToUs(monotonicClock() - sentNs));
    }
  } finally {
    await close();
  }
  return { calls: latencyUs.totalCount, p50Us: histogramStats(latencyUs).p50 };
}

function loadContext(options: SelfMeasureOptions, recorder: Recorder): LoadContext {
  return {
    target: "process",
    repetition: 1,
    recorder,
    pickCall: () => ECHO,
    connect: () => options.target.connect(options.signal),
    signal: options.signal,
    clock: monotonicClock,
    callTimeoutMs: options.callTimeoutMs,
  };
}

function openLoop(options: SelfMeasureOptions, recorder: Recorder, name: string, ratePerSecond: number): Promise<LoadPhaseResult> {
  return runOpenPhase(loadContext(options, recorder), {
    name,
    driver: "open",
    ratePerSecond,
    durationSeconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    maxInFlight: OPEN_LOOP_MAX_IN_FLIGHT,
    latePolicy: "drop",
  });
}

/** Highest RSS of this process while `work` runs, sampled every RSS_SAMPLE_INTERVAL_MS. */
async function maxRssDuring<T>(work: () => Promise<T>): Promise<{ value: T; maxRssBytes: number }> {
  let maxRssBytes = process.memoryUsage.rss();
  const timer = setInterval(() => {
    maxRssBytes = Math.max(maxRssBytes, process.memoryUsage.rss());
  }, RSS_SAMPLE_INTERVAL_MS);
  try {
    const value = await work();
    return { value, maxRssBytes: Math.max(maxRssBytes, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/** The open loop's scheduler alone at `ratePerSecond`: how late it wakes with no calls (ms percentiles). */
async function scheduleFloor(options: SelfMeasureOptions, ratePerSecond: number): Promise<NonNullable<SelfFigures["openLoop"]["scheduleFloor"]>> {
  const count = Math.round(Math.min(options.seconds, MAX_FLOOR_SECONDS) * ratePerSecond);
  const latenessUs = createHistogram();
  for (const value of await measureScheduleLatenessUs(monotonicClock, ratePerSecond, count, options.signal)) recordClamped(latenessUs, value);
  const stats = histogramStats(latenessUs);
  return { samples: latenessUs.totalCount, p50Ms: stats.p50 / 1000, p99Ms: stats.p99 / 1000, maxMs: stats.max / 1000 };
}

function failedCalls(result: LoadPhaseResult): number {
  return result.recordedCalls - result.recordedByOutcome.ok;
}

export async function measureSelfOverhead(options: SelfMeasureOptions): Promise<SelfFigures> {
  const status = options.onStatus ?? (() => {});
  const recorder = new Recorder();

  status(`raw SDK loop, 1 client, ${options.seconds} s…`);
  const raw = await rawSdkLoop(options);
  status(`closed driver, 1 client, ${options.seconds} s…`);
  const closed = await runClosedPhase(loadContext(options, recorder), { name: "self-closed", driver: "closed", concurrency: 1, durationSeconds: options.seconds, warmupSeconds: options.warmupSeconds });
  const closedP50Us = percentileUs(recorder, "self-closed", "latency", 50, "ok");
  const p50Ratio = raw.p50Us > 0 ? closedP50Us / raw.p50Us : 0;

  status(`the open loop's scheduler alone at ${GOALS.openLoopCallsPerSecond}/s, no calls (its floor on this machine), ${Math.min(options.seconds, MAX_FLOOR_SECONDS)} s…`);
  const floor = await scheduleFloor(options, GOALS.openLoopCallsPerSecond);
  status(`open loop ${GOALS.openLoopCallsPerSecond} calls/s, ${options.seconds} s…`);
  const open = await openLoop(options, recorder, "self-open", GOALS.openLoopCallsPerSecond);
  const rateDeviation = Math.abs(open.achievedCallsPerSecond - GOALS.openLoopCallsPerSecond) / GOALS.openLoopCallsPerSecond;
  const sendLagP99Ms = percentileUs(recorder, "self-open", "send_lag", 99) / 1000;

  status(`open loop ${GOALS.memoryCallsPerSecond} calls/s, ${options.seconds} s, sampling RSS…`);
  const memory = await maxRssDuring(() => openLoop(options, recorder, "self-memory", GOALS.memoryCallsPerSecond));

  return {
    closedVersusRaw: {
      rawCalls: raw.calls,
      rawP50Us: raw.p50Us,
      closedCalls: closed.recordedByOutcome.ok,
      closedP50Us,
      p50Ratio,
      goalMaxRatio: GOALS.maxClosedToRawP50Ratio,
      met: p50Ratio > 0 && p50Ratio <= GOALS.maxClosedToRawP50Ratio,
    },
    openLoop: {
      intendedCallsPerSecond: GOALS.openLoopCallsPerSecond,
      achievedCallsPerSecond: open.achievedCallsPerSecond,
      droppedCalls: open.droppedCalls ?? 0,
      failedCalls: failedCalls(open),
      rateDeviation,
      sendLagP99Ms,
      scheduleFloor: floor,
      goalMaxRateDeviation: GOALS.maxOpenLoopRateDeviation,
      goalMaxSendLagP99Ms: GOALS.maxSendLagP99Ms,
      met: rateDeviation <= GOALS.maxOpenLoopRateDeviation && sendLagP99Ms < GOALS.maxSendLagP99Ms && failedCalls(open) === 0,
    },
    memory: {
      intendedCallsPerSecond: GOALS.memoryCallsPerSecond,
      achievedCallsPerSecond: memory.value.achievedCallsPerSecond,
      maxRssBytes: memory.maxRssBytes,
      goalMaxRssBytes: GOALS.maxRssBytes,
      met: memory.maxRssBytes < GOALS.maxRssBytes,
    },
  };
}
