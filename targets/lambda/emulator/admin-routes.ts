/**
 * The emulator's own routes, next to the Lambda API on the same 127.0.0.1 server, under a prefix no
 * Lambda API path can have (`/_emulator/`; every Lambda path starts with a date): what a harness that
 * runs the emulator as a child process asks it between phases — its description and the CPU counters
 * of its live execution environments — and, by request id, an invocation's log lines (START … REPORT:
 * Lambda's own figures for calls that had no Tail log, e.g. through a Function URL). The response shapes are declared once here (zod) and checked by
 * the client side (emulator-child.ts) too.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { CpuReading } from "../../cgroup-cpu.js";

export const ADMIN_PREFIX = "/_emulator/";
export const ADMIN_DESCRIBE_PATH = `${ADMIN_PREFIX}describe`;
export const ADMIN_CPU_PATH = `${ADMIN_PREFIX}cpu`;
/** `GET /_emulator/logs/<requestId>` ⇒ `{lines}`; 404 while the invocation is unknown (not finished, or never). */
export const ADMIN_LOGS_PATH = `${ADMIN_PREFIX}logs/`;

export const adminDescriptionSchema = z.object({ description: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).strict();

// Counters are integers (µs, periods) far below 2^53: JSON numbers carry them exactly.
const counter = z.number().int().min(0);
const cpuReadingSchema = z.object({ usageUs: counter, periods: counter, throttledPeriods: counter, throttledUs: counter }).strict() satisfies z.ZodType<CpuReading>;
export const adminCpuSchema = z.object({ instances: z.array(z.object({ instance: z.string(), reading: cpuReadingSchema }).strict()) }).strict();

export const adminLogsSchema = z.object({ requestId: z.string(), lines: z.array(z.string()) }).strict();

export type AdminDescription = z.infer<typeof adminDescriptionSchema>;
export type AdminLogs = z.infer<typeof adminLogsSchema>;
export type AdminCpu = z.infer<typeof adminCpuSchema>;

export interface AdminSources {
  readonly describe: () => Record<string, string | number | boolean>;
  readonly readCpu: () => Promise<readonly { readonly instance: string; readonly reading: CpuReading }[]>;
  /** An invocation's log lines by request id (undefined when unknown). */
  readonly logLines?: (requestId: string) => readonly string[] | undefined;
}

export interface AdminReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The reply to an admin request, or undefined when the path is not under ADMIN_PREFIX (a Lambda API request). */
export async function adminReply(request: IncomingMessage, path: string, sources: AdminSources): Promise<AdminReply | undefined> {
  if (!path.startsWith(ADMIN_PREFIX)) return undefined;
  if (request.method !== "GET") return { status: 405, body: { message: `${request.method ?? "?"} ${path}: the emulator's admin routes take GET only.` } };
  if (path === ADMIN_DESCRIBE_PATH) return { status: 200, body: { description: sources.describe() } satisfies AdminDescription };
  if (path === ADMIN_CPU_PATH) return { status: 200, body: { instances: (await sources.readCpu()).map(({ instance, reading }) => ({ instance, reading: { ...reading } })) } satisfies AdminCpu };
  if (path.startsWith(ADMIN_LOGS_PATH) && sources.logLines !== undefined) {
    const requestId = path.slice(ADMIN_LOGS_PATH.length);
    const lines = sources.logLines(requestId);
    if (lines === undefined) return { status: 404, body: { message: `No log for request ${requestId} (yet): it has not finished, or was never invoked here.` } };
    return { status: 200, body: { requestId, lines: [...lines] } satisfies AdminLogs };
  }
  return { status: 404, body: { message: `No admin route ${path}: use ${ADMIN_DESCRIBE_PATH}, ${ADMIN_CPU_PATH} or ${ADMIN_LOGS_PATH}<requestId>.` } };
}
