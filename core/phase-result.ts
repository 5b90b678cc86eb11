/** What one load phase of one target and repetition produced, besides its histograms (series). */
import { z } from "zod";
import { callOutcomeSchema, outcomeCountsSchema } from "./calls.js";
import { mcpProtocolSchema } from "./protocol.js";
import { LATE_POLICIES } from "./scenario.js";

const nonNegative = z.number().min(0);
const count = z.number().int().min(0);

/** The driver that produced a phase result; sweep levels and ramp steps are closed and open runs (see partOf). */
export const LOAD_DRIVERS = ["closed", "open", "burst", "idle-gap", "throughput"] as const;
export const loadDriverSchema = z.enum(LOAD_DRIVERS);
export type LoadDriver = z.infer<typeof loadDriverSchema>;

/** One window of the interval histograms: latency over time (HdrHistogram's interval log, 1 s by default). */
export const intervalWindowSchema = z
  .object({
    /** Window start, ms after the end of the warm-up. Calls are placed by completion time. */
    startMs: nonNegative,
    /** Calls completed in the window by outcome (cold-environment calls included). */
    byOutcome: outcomeCountsSchema,
    /** Calls answered by a freshly initialised environment. */
    coldEnvironmentCalls: count,
    /** Base64 HDR histogram (µs) of the window's successful warm calls; absent when there were none. */
    okLatencyHistogram: z.string().min(1).optional(),
  })
  .strict();
export type IntervalWindow = z.infer<typeof intervalWindowSchema>;

export const intervalsSchema = z.object({ intervalMs: z.number().int().min(1), windows: z.array(intervalWindowSchema) }).strict();
export type Intervals = z.infer<typeof intervalsSchema>;

/** CPU accounting of one container or Lambda environment over a phase (cgroup cpu.stat), read around the phase. */
export const instanceCpuSchema = z
  .object({
    instance: z.string(),
    /** Wall time between the two readings (the phase, warm-up included). */
    windowMs: nonNegative,
    usageMs: nonNegative,
    periods: count,
    throttledPeriods: count,
    throttledMs: nonNegative,
  })
  .strict();
export type InstanceCpu = z.infer<typeof instanceCpuSchema>;

/** The harness's event loop over the phase: delay (how late timers and I/O callbacks ran) and utilisation. */
export const eventLoopSchema = z
  .object({
    delayP50Ms: nonNegative,
    delayP99Ms: nonNegative,
    delayMaxMs: nonNegative,
    /** Share of the phase the loop was busy, 0–1. */
    utilization: z.number().min(0).max(1),
  })
  .strict();
export type EventLoopStats = z.infer<typeof eventLoopSchema>;

/** Why open-loop calls were never sent. */
export const droppedBySchema = z
  .object({
    /** `drop` policy: due while maxInFlight calls were in flight. */
    inFlightCap: count,
    /** `queue` policy: due while the queue was full (OPEN_QUEUE_CALLS_PER_CLIENT × maxInFlight waiting). */
    queueFull: count,
    /** `queue` policy: waited longer than limits.callTimeoutMs for a free client. */
    waitedTooLong: count,
    /** `queue` policy: still waiting when the phase's window ended (or the run was interrupted). */
    phaseEnd: count,
  })
  .strict();
export type DroppedBy = z.infer<typeof droppedBySchema>;

/**
 * How many instances served a phase, and how that number is known: what a comparison of two targets'
 * latency under concurrency must state (one container serving C clients is not C Lambda environments).
 */
export const phaseInstancesSchema = z
  .object({
    count,
    /**
     * configured: docker replicas the clients were spread over; observed: Lambda environments that used
     * CPU during the phase (cgroup accounting); concurrency: not observed, the closed loop's concurrency
     * (Lambda runs one environment per in-flight call once warm).
     */
    source: z.enum(["configured", "observed", "concurrency"]),
    /** Docker in capacity-matched mode: the replicas were set to the Lambda environments of the same phase and repetition. */
    matchedTo: z.literal("lambda").optional(),
  })
  .strict();
export type PhaseInstances = z.infer<typeof phaseInstancesSchema>;

/** Idle-gap phase: one recorded call after one idle gap. */
export const idleGapCallSchema = z
  .object({
    /** The idle time before the call (from the previous call's answer), as configured. */
    gapSeconds: nonNegative,
    /** The idle time as measured (the scheduler's wake-up is late by timer resolution). */
    measuredGapMs: nonNegative,
    outcome: callOutcomeSchema,
    /** True when the call found no warm instance: a fresh Lambda environment (Init Duration in its REPORT), a container that had to start. */
    cold: z.boolean(),
    /** Function URL: the call's REPORT was not found in time, so `cold` (false) is not known. */
    coldUnknown: z.literal(true).optional(),
    latencyMs: nonNegative,
  })
  .strict();
export type IdleGapCall = z.infer<typeof idleGapCallSchema>;
/** A sweep level or ramp step: one closed or open run that is part of a configured sweep or ramp phase. */
export const shapePartSchema = z
  .object({
    /** The configured phase's name (the result's own phase is "<name>@c<clients>" or "<name>@s<step>"). */
    phase: z.string(),
    driver: z.enum(["sweep", "ramp"]),
    /** 1-based position of the level or step in the configured phase. */
    index: z.number().int().min(1),
  })
  .strict();
export type ShapePart = z.infer<typeof shapePartSchema>;

/** Burst only: the K calls released together after the idle period. */
export const burstFiguresSchema = z
  .object({
    /** K: calls released together. */
    calls: count,
    /** The quiet time before the release, as configured. */
    idleMs: nonNegative,
    /** Latency of the K calls from the release (every outcome): exact order statistics, not histogram buckets. */
    p50Ms: nonNegative,
    p95Ms: nonNegative,
    maxMs: nonNegative,
  })
  .strict();
export type BurstFigures = z.infer<typeof burstFiguresSchema>;
/** Why a throughput search stopped stepping up connections. */
export const THROUGHPUT_STOP_REASONS = ["p99-bound", "failures", "saturated", "levels-exhausted", "interrupted"] as const;

/** One autocannon step of a throughput phase: a fixed connection count for `stepSeconds`. */
export const throughputStepSchema = z
  .object({
    connections: z.number().int().min(1),
    /** Wall time of the step. */
    durationMs: nonNegative,
    /** Calls answered with an MCP result (HTTP 2xx and a JSON-RPC result without isError). */
    okCalls: count,
    /** Everything else: MCP error bodies (HTTP 200 too), non-2xx statuses, connection errors and timeouts. */
    failedCalls: count,
    /** Of failedCalls: HTTP 2xx answers whose body was an MCP error (autocannon alone would count them as successes). */
    mcpErrorBodies: count,
    okCallsPerSecond: nonNegative,
    /** Latency of the successful calls (autocannon's per-response time, no coordinated-omission correction: connections are closed loops). */
    p50Ms: nonNegative,
    p99Ms: nonNegative,
    /** p99 ≤ the phase's bound and at most 1% of the calls failed. */
    sustained: z.boolean(),
  })
  .strict();
export type ThroughputStep = z.infer<typeof throughputStepSchema>;

/** What a throughput phase found: the maximum sustained calls/s at a p99 bound, with every step it took. */
export const throughputSearchSchema = z
  .object({
    p99BoundMs: z.number().gt(0),
    steps: z.array(throughputStepSchema),
    /** The highest okCallsPerSecond of a sustained step; absent when no step was sustained. */
    maxSustainedCallsPerSecond: nonNegative.optional(),
    /** The connections of that step (its calls are the phase's recorded series). */
    maxSustainedConnections: z.number().int().min(1).optional(),
    stopReason: z.enum(THROUGHPUT_STOP_REASONS),
  })
  .strict();
export type ThroughputSearch = z.infer<typeof throughputSearchSchema>;

export const loadPhaseResultSchema = z
  .object({
    target: z.string(),
    phase: z.string(),
    driver: loadDriverSchema,
    repetition: z.number().int().min(1),
    startedAt: z.string(),
    /** Length of the recorded window (after warm-up) until the last recorded call completed. */
    measuredMs: nonNegative,
    /** Calls recorded in histograms, by outcome (cold-environment calls included here, kept apart in series). */
    recordedByOutcome: outcomeCountsSchema,
    recordedCalls: count,
    /** Calls made during warm-up: made, not recorded. */
    warmupCalls: count,
    /** Calls answered by a freshly initialised environment (Lambda scale-out under load). */
    coldEnvironmentCalls: count,
    achievedCallsPerSecond: nonNegative,
    /** Open loop only: the configured arrival rate. */
    intendedCallsPerSecond: nonNegative.optional(),
    /** Open loop only: calls due after the warm-up that were never sent (counted, in no percentile); reasons in droppedBy. */
    droppedCalls: count.optional(),
    /** Open loop only: what was done with a call due while every client was busy (absent in older files: "drop"). */
    latePolicy: z.enum(LATE_POLICIES).optional(),
    /** Open loop, `queue` policy: calls due after the warm-up that waited for a free client and were sent late. */
    lateCalls: count.optional(),
    /** Open loop only: droppedCalls by reason; the four add up to droppedCalls. */
    droppedBy: droppedBySchema.optional(),
    concurrency: z.number().int().min(1).optional(),
    /** CPU the harness process used during the phase (warm-up included), in % of one core. */
    harnessCpuPercent: nonNegative.optional(),
    /** The harness's event loop during the phase. */
    eventLoop: eventLoopSchema.optional(),
    /** Latency over time. */
    intervals: intervalsSchema.optional(),
    /** CPU accounting per instance of the target. */
    cpu: z.array(instanceCpuSchema).optional(),
    /** Docker replicas or Lambda environments that served the phase (absent: not recorded; docker then ran one container). */
    instances: phaseInstancesSchema.optional(),
    /** Idle-gap phase only: the call after each gap, in order (fewer than the gaps when interrupted). */
    idleGaps: z.array(idleGapCallSchema).optional(),
    /** Sweep level or ramp step: the configured phase it belongs to. */
    partOf: shapePartSchema.optional(),
    /**
     * A closed phase's run on an MCP generation other than the load one (scenario `everyProtocol`; the
     * phase is then "<name>@<generation>"). Absent: the load generation.
     */
    protocol: mcpProtocolSchema.optional(),
    /**
     * True when the calls carry no REPORT of their own and the driver did not look them up (Function URL
     * under steady load: one log query per call would load the backend): coldEnvironmentCalls then does
     * not count fresh environments, and a call that met one is in the warm series.
     */
    freshEnvironmentsNotLookedUp: z.literal(true).optional(),
    /** Function URL calls whose REPORT was looked up and not found in time: fresh environment unknown (in neither warm nor cold figures). */
    unknownEnvironmentCalls: count.optional(),
    /** Burst only: the release and its tail (fresh environments: coldEnvironmentCalls). */
    burst: burstFiguresSchema.optional(),
    /** True when Ctrl-C (or an error) cut the phase short. */
    interrupted: z.boolean(),
    /** Throughput phases only: the search over connection counts (autocannon). */
    throughput: throughputSearchSchema.optional(),
    /** Set when the phase could not run (e.g. no client could connect). */
    error: z.string().optional(),
  })
  .strict();
export type LoadPhaseResult = z.infer<typeof loadPhaseResultSchema>;
