/**
 * Where a run or a report will write, checked before anything is measured or provisioned: the directory
 * is created, a probe file is written, renamed and removed (every step bounded), and a run id that
 * already holds results is refused rather than overwritten. Each failure names the flag to change.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { boundedStep, makeDirectory } from "../../core/bounded-fs.js";
import { HarnessError } from "../../core/errors.js";

/** What the file system said, in words a user can act on. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOTDIR":
    case "EEXIST":
      return "a file is in the way (it must be a directory)";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOENT":
      return "it cannot be created there (a pseudo file system such as /proc or /sys?)";
    case "ENOSPC":
      return "no space left on the device";
    case "ETIMEDOUT":
      return `the file system did not answer (${(error as Error).message})`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Creates `directory` if needed and proves it writable (write + rename + remove of a probe file).
 * Throws OUTPUT_UNWRITABLE naming `flag` and a fix.
 */
export async function assertWritableDirectory(directory: string, flag: string): Promise<void> {
  const probe = join(directory, `.mcp-deploy-bench-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await boundedStep(makeDirectory(directory), `creating ${directory}`);
    await boundedStep(writeFile(`${probe}.tmp`, "probe\n"), `writing a probe file in ${directory}`);
    await boundedStep(rename(`${probe}.tmp`, probe), `renaming a probe file in ${directory}`);
    await boundedStep(rm(probe, { force: true }), `removing a probe file in ${directory}`);
  } catch (error) {
    await boundedStep(rm(`${probe}.tmp`, { force: true }), "removing a probe file").catch(() => undefined);
    throw new HarnessError("OUTPUT_UNWRITABLE", `${flag} ${directory} is not a writable directory: ${reason(error)}.`, {
      hint: `Pass ${flag} a directory you can write to on a real file system (e.g. ${flag} ./results), or fix its permissions.`,
      cause: error,
    });
  }
}

/**
 * Prepares `<outRoot>/<runId>` for a new run: the results root must be writable, and the run directory
 * must not hold anything yet (an empty one, left by a run that stopped before writing, is reused).
 * Returns the run directory. Throws OUTPUT_UNWRITABLE (naming --out) or RUN_EXISTS (naming --run-id).
 */
export async function prepareRunDirectory(outRoot: string, runId: string): Promise<string> {
  const root = resolve(outRoot);
  await assertWritableDirectory(root, "--out");
  const runDirectory = join(root, runId);
  const created = await boundedStep(mkdir(runDirectory), `creating ${runDirectory}`).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") return false;
      throw new HarnessError("OUTPUT_UNWRITABLE", `--out ${root}: cannot create the run directory ${runDirectory}: ${reason(error)}.`, {
        hint: "Pass --out a directory you can write to, or fix its permissions.",
        cause: error,
      });
    },
  );
  if (created) return runDirectory;
  const entries = await boundedStep(readdir(runDirectory), `listing ${runDirectory}`).catch((error: unknown) => {
    throw new HarnessError("RUN_EXISTS", `--run-id ${runId}: ${runDirectory} exists and cannot be listed: ${reason(error)}.`, {
      hint: "Choose another --run-id (or leave it out for a new one), or remove that path.",
      cause: error,
    });
  });
  if (entries.length > 0) {
    throw new HarnessError("RUN_EXISTS", `--run-id ${runId} already has results in ${runDirectory} (${entries.length} file${entries.length === 1 ? "" : "s"}); a run never overwrites another.`, {
      hint: `Choose another --run-id (or leave it out for a new one), or move that directory away first (e.g. mv ${runDirectory} ${runDirectory}.old).`,
    });
  }
  return runDirectory;
}
