/**
 * `npm run bench -- clean` with Docker unreachable: says it could not look at containers, still stops
 * the run's orphaned fixture processes and removes its orphaned temp dirs, and exits 1 (not 0).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../core/errors.js";
import { childEnvironment, DIR_MARKER_FILE, OWNER_MARKER_VARIABLE, RUN_DIR_PREFIX } from "../targets/run-marker.js";
import { PROJECT_ROOT } from "../test/helpers/cli.js";

/** An owner that is not running (pid beyond pid_max). */
const GONE_OWNER = "999999999:1";

describe("npm run bench -- clean", () => {
  let orphan: ChildProcess | undefined;
  let dir = "";
  afterEach(async () => {
    orphan?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("with Docker unreachable: says it could not look at containers, cleans processes and temp dirs, exits 1", async () => {
    const runId = `clean-test-${process.pid}-${Date.now()}`;
    orphan = spawn("sleep", ["60"], { env: { ...childEnvironment(runId), [OWNER_MARKER_VARIABLE]: GONE_OWNER }, stdio: "ignore" });
    await new Promise((resolve) => orphan?.once("spawn", resolve));
    const exited = new Promise((resolve) => orphan?.once("exit", resolve));
    dir = await mkdtemp(join(tmpdir(), `${RUN_DIR_PREFIX}lambda-clean-test-`));
    await writeFile(join(dir, DIR_MARKER_FILE), JSON.stringify({ runId, owner: GONE_OWNER }));

    const cleaned = spawnSync(process.execPath, ["--import", "tsx", "bench/cli.ts", "clean", "--run", runId], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DOCKER_HOST: `unix://${join(tmpdir(), `no-docker-here-${process.pid}.sock`)}` },
    });
    const output = `${cleaned.stdout}${cleaned.stderr}`;
    expect(cleaned.status, output).toBe(EXIT_CODES.targetFailed);
    expect(output).toMatch(new RegExp(`containers of run ${runId}: could not look at them: .*Start Docker`));
    expect(output).toContain(`processes of run ${runId} (fixture servers, Lambda emulator): stopped 1`);
    expect(output).toContain(`temp dirs of run ${runId}: removed 1`);
    await exited;
    expect(existsSync(dir)).toBe(false);
  });
});
