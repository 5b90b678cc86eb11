/**
 * The harness's own overhead, measured by `npm run bench:self` on the process target and stored as
 * results/self/<id>.json (a file of its own, not part of a run's results): what the figures are, the
 * goals they are held to, and whether each was met. Reports cite the latest file.
 */
import { z } from "zod";
import { machineSchema, toolInfoSchema } from "./results.js";

export const SELF_OVERHEAD_SCHEMA_VERSION = 1;

/** The goals (issue 11): closed driver p50 within 10% of a raw SDK loop; open loop on rate with sub-ms send lag; RSS bounded. */
export const SELF_OVERHEAD_GOALS = {
  maxClosedToRawP50Ratio: 1.1,
  openLoopCallsPerSecond: 500,
  /** Achieved rate within this share of the intended one. */
  maxOpenLoopRateDeviation: 0.01,
  maxSendLagP99Ms: 1,
  memoryCallsPerSecond: 1000,
  maxRssBytes: 300 * 1024 * 1024,
} as const;

const nonNegative = z.number().min(0);
const count = z.number().int().min(0);

export const selfOverheadSchema = z
  .object({
    schemaVersion: z.literal(SELF_OVERHEAD_SCHEMA_VERSION),
    id: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    tool: toolInfoSchema,
    gitCommit: z.string().nullable(),
    startedAt: z.string(),
    /** When the last measurement ended (the latest file is the one with the newest). */
    finishedAt: z.string(),
    /** The machine, its load average at the start included (the figures depend on it). */
    machine: machineSchema,
    /** Load average (1, 5, 15 min) when the measurement ended. */
    loadAverageAfter: z.array(nonNegative),
    target: z.literal("process"),
    /** Length of each of the four measurements (warm-ups not included). */
    secondsPerMeasurement: z.number().gt(0),
    /** Closed loop, one client, the same echo call: a bare SDK Client loop versus the harness's closed driver. */
    closedVersusRaw: z
      .object({
        rawCalls: count,
        rawP50Us: nonNegative,
        closedCalls: count,
        closedP50Us: nonNegative,
        /** closedP50Us / rawP50Us. */
        p50Ratio: nonNegative,
        goalMaxRatio: z.number().gt(0),
        met: z.boolean(),
      })
      .strict(),
    openLoop: z
      .object({
        intendedCallsPerSecond: z.number().gt(0),
        achievedCallsPerSecond: nonNegative,
        droppedCalls: count,
        failedCalls: count,
        /** |achieved − intended| / intended. */
        rateDeviation: nonNegative,
        sendLagP99Ms: nonNegative,
        /**
         * The same scheduler at the same rate with no calls at all, just before the open loop: how late its
         * timer wakes on this machine (the floor under the send lag; the rest is the harness's). Optional:
         * files written before it was measured lack it.
         */
        scheduleFloor: z.object({ samples: count, p50Ms: nonNegative, p99Ms: nonNegative, maxMs: nonNegative }).strict().optional(),
        goalMaxRateDeviation: nonNegative,
        goalMaxSendLagP99Ms: nonNegative,
        met: z.boolean(),
      })
      .strict(),
    memory: z
      .object({
        intendedCallsPerSecond: z.number().gt(0),
        achievedCallsPerSecond: nonNegative,
        /** Highest resident set size of the harness process sampled during the phase. */
        maxRssBytes: count,
        goalMaxRssBytes: count,
        met: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type SelfOverhead = z.infer<typeof selfOverheadSchema>;
