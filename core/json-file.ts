/** Reading a user-supplied JSON file with errors that name the file and the fix. */
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

export async function readJsonFile(path: string, kind: JsonFileKind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new HarnessError(kind.notFoundCode, `Cannot read ${kind.label} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: kind.notFoundHint,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HarnessError(kind.invalidCode, `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
