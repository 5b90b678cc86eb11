/**
 * Reading a user-supplied JSON file with errors that name the file and the fix. A UTF-8 byte order mark
 * (what some Windows editors write first) is accepted and skipped; an empty file or a directory is named
 * as such.
 */
import { readFile } from "node:fs/promises";
import { HarnessError, type HarnessErrorCode } from "./errors.js";

export interface JsonFileKind {
  /** e.g. "scenario file", "results file" */
  readonly label: string;
  /** Error codes: the file cannot be read / is not JSON. */
  readonly notFoundCode: HarnessErrorCode;
  readonly invalidCode: HarnessErrorCode;
  /** What to do when the file cannot be read. */
  readonly notFoundHint: string;
}

const BYTE_ORDER_MARK = "\uFEFF";

export async function readJsonFile(path: string, kind: JsonFileKind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const what = code === "EISDIR" ? "it is a directory, not a file" : code;
    throw new HarnessError(kind.notFoundCode, `Cannot read ${kind.label} ${path}: ${what}`, { hint: kind.notFoundHint });
  }
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(BYTE_ORDER_MARK.length);
  if (text.trim().length === 0) {
    throw new HarnessError(kind.invalidCode, `${kind.label} ${path} is empty.`, { hint: `Pass a ${kind.label} holding a JSON object. ${kind.notFoundHint}` });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HarnessError(kind.invalidCode, `${kind.label} ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      hint: "Fix the JSON at the position named (a truncated file ends early: restore it or write it again).",
    });
  }
}
