/**
 * Prints the bin directory of the pinned Node build of a major (fetching it once from the npm
 * registry), for running the harness itself on that Node:
 *
 *   PATH="$(node --import tsx scripts/node-bin.ts 24):$PATH" npm test
 */
import { dirname } from "node:path";
import { printError } from "../core/errors.js";
import { NODE_MAJORS } from "../core/runtimes.js";
import { ensureNodeBuild } from "../targets/node-builds.js";

const requested = process.argv[2];
const major = NODE_MAJORS.find((candidate) => candidate === requested);
if (major === undefined) {
  process.stderr.write(`usage: node --import tsx scripts/node-bin.ts <${NODE_MAJORS.join("|")}>\n`);
  process.exitCode = 2;
} else {
  ensureNodeBuild(major, { log: (line) => process.stderr.write(`${line}\n`) })
    .then((build) => process.stdout.write(`${dirname(build.binary)}\n`))
    .catch((error: unknown) => {
      process.exitCode = printError(error);
    });
}
