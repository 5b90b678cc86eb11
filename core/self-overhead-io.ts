/**
 * Storing and finding self-overhead figures: results/self/<id>.json, validated, written atomically;
 * the latest is the newest `finishedAt` among the valid files of the directory.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readJsonFile } from "./json-file.js";
import { HarnessError } from "./errors.js";
import { writeFileAtomic } from "./results-io.js";
import { selfOverheadSchema, type SelfOverhead } from "./self-overhead.js";
import { formatIssues } from "./zod-issues.js";

/** The directory self-overhead files live in, under a results root (runs are <root>/<runId>/). */
export const SELF_OVERHEAD_DIRECTORY = "self";

const SELF_FILE = {
  label: "self-overhead file",
  notFoundCode: "RESULTS_NOT_FOUND",
  invalidCode: "RESULTS_INVALID",
  notFoundHint: "Run `npm run bench:self` to measure the harness's overhead again.",
} as const;

/** Validates, then writes `<directory>/<id>.json` atomically; returns its path. */
export async function writeSelfOverhead(directory: string, figures: SelfOverhead): Promise<string> {
  const checked = selfOverheadSchema.safeParse(figures);
  if (!checked.success) {
    throw new HarnessError("RESULTS_SCHEMA_MISMATCH", `Self-overhead figures fail their own schema: ${formatIssues(checked.error.issues, "(self)").join("; ")}`, {
      hint: "This is a bug in the harness: report it with the figures printed above.",
    });
  }
  const path = join(directory, `${figures.id}.json`);
  await writeFileAtomic(path, `${JSON.stringify(checked.data, null, 2)}\n`);
  return path;
}

/** Reads one self-overhead file (HarnessError RESULTS_NOT_FOUND / RESULTS_INVALID naming it). */
export async function readSelfOverhead(path: string): Promise<SelfOverhead> {
  const parsed = selfOverheadSchema.safeParse(await readJsonFile(path, SELF_FILE));
  if (!parsed.success) {
    throw new HarnessError("RESULTS_INVALID", `${SELF_FILE.label} ${path} is not valid: ${formatIssues(parsed.error.issues, "(self)").join("; ")}`, { hint: SELF_FILE.notFoundHint });
  }
  return parsed.data;
}

/** The newest valid figures in `directory`; undefined when there are none (no directory, no valid file). */
export async function readLatestSelfOverhead(directory: string): Promise<SelfOverhead | undefined> {
  const names = await readdir(directory).catch(() => [] as string[]);
  let latest: SelfOverhead | undefined;
  for (const name of names.filter((item) => item.endsWith(".json"))) {
    const figures = await readSelfOverhead(join(directory, name)).catch(() => undefined);
    if (figures !== undefined && (latest === undefined || figures.finishedAt > latest.finishedAt)) latest = figures;
  }
  return latest;
}
