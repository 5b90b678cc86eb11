/**
 * File-system steps that cannot hang: each one is bounded by a timeout, and directories are created one
 * level at a time, because Node 20's `mkdir(path, { recursive: true })` never settles under a pseudo
 * file system such as /proc (it retries forever on the worker pool).
 */
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Every output write, probe and directory step finishes or fails within this. */
export const FILE_STEP_TIMEOUT_MS = 10_000;

/** An error with a Node errno-style `code`, for callers that map codes to messages. */
function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Settles with `step`, or rejects with an ETIMEDOUT error naming `what` after `timeoutMs`. The timer is
 * referenced, so it fires even when nothing else keeps the process alive.
 */
export async function boundedStep<T>(step: Promise<T>, what: string, timeoutMs: number = FILE_STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(errnoError("ETIMEDOUT", `${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([step, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** At most this many missing levels are created (a path deeper than that is a mistake). */
const MAX_MISSING_LEVELS = 64;

/**
 * Creates `path` and its missing parents, one `mkdir` per level. Rejects with ENOTDIR when a level
 * exists as a file, ENOENT/EACCES/EROFS as the file system answers.
 */
export async function makeDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(path);
  for (let level = 0; level <= MAX_MISSING_LEVELS; level++) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw errnoError("ENOTDIR", `${current} is a file, not a directory`);
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const directory of missing.reverse()) {
    await mkdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}
