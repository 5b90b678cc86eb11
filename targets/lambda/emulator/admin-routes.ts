/**
 * The emulator's own routes, next to the Lambda API on the same 127.0.0.1 server, under a prefix no
 * Lambda API path can have (`/_emulator/`; every Lambda path starts with a date): what a harness that
 * runs the emulator as a child process asks it between phases — its description and the CPU counters
 * of its live execution environments. The response shapes are declared once here (zod) and checked by
 * the client side (emulator-child.ts) too.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { CpuReading } from "../../cgroup-cpu.js";

export const ADMIN_PREFIX = "/_emulator/";
export const ADMIN_DESCRIBE_PATH = `${ADMIN_PREFIX}describe`;
export const ADMIN_CPU_PATH = `${ADMIN_PREFIX}cpu`;

export const adminDescriptionSchema = z.object({ description: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).strict();

// Counters are integers (µs, periods) far below 2^53: JSON numbers carry them exactly.
const counter = z.number().int().min(0);
const cpuReadingSchema = z.object({ usageUs: counter, periods: counter, throttledPeriods: counter, throttledUs: counter }).strict() satisfies z.ZodType<CpuReading>;
export const adminCpuSchema = z.object({ instances: z.array(z.object({ instance: z.string(), reading: cpuReadingSchema }).strict()) }).strict();

export type AdminDescription = z.infer<typeof adminDescriptionSchema>;
export type AdminCpu = z.infer<typeof adminCpuSchema>;

export interface AdminSources {
  readonly describe: () => Record<string, string | number | boolean>;
  readonly readCpu: () => Promise<readonly { readonly instance: string; readonly reading: CpuReading }[]>;
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
  return { status: 404, body: { message: `No admin route ${path}: use ${ADMIN_DESCRIBE_PATH} or ${ADMIN_CPU_PATH}.` } };
}
