/**
 * A function's code: the base64 zip from CreateFunction, checked against Lambda's size limits and
 * unzipped (with fflate) into a per-function directory that environments mount read-only.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, normalize, sep } from "node:path";
import { unzipSync } from "fflate";
import { invalidParameterValue, requestEntityTooLarge } from "./api-errors.js";

const MAX_ZIPPED_BYTES = 52_428_800;
const MAX_UNZIPPED_BYTES = 262_144_000;

export interface UnpackedCode {
  readonly dir: string;
  readonly sizeBytes: number;
  /** base64 SHA-256 of the zip, as CodeSha256. */
  readonly sha256: string;
}

export async function unpackZip(zipBase64: string, dir: string): Promise<UnpackedCode> {
  const zip = Buffer.from(zipBase64, "base64");
  if (zip.length > MAX_ZIPPED_BYTES) throw requestEntityTooLarge(`Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (error) {
    throw invalidParameterValue(`Could not unzip uploaded file. Please check your file, then try to upload again. (${error instanceof Error ? error.message : String(error)})`);
  }
  let unzippedBytes = 0;
  for (const content of Object.values(entries)) unzippedBytes += content.length;
  if (unzippedBytes > MAX_UNZIPPED_BYTES) throw invalidParameterValue(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(entries)) {
    const relative = normalize(name);
    if (relative.startsWith("..") || relative.startsWith(sep) || relative.split(sep).includes("..")) {
      throw invalidParameterValue(`The zip contains an entry outside the code directory: ${name}`);
    }
    const target = join(dir, relative);
    if (name.endsWith("/")) {
      await mkdir(target, { recursive: true, mode: 0o755 });
      continue;
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, content, { mode: 0o644 });
  }
  return { dir, sizeBytes: zip.length, sha256: createHash("sha256").update(zip).digest("base64") };
}
