import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../core/errors.js";
import { installInterruptHandlers } from "./interrupt.js";

/** An injected signal source plus fakes that record, in order, what the handlers were asked to do. */
function harness() {
  const signals = new EventEmitter();
  const calls: string[] = [];
  const uninstall = installInterruptHandlers({
    signals,
    onGraceful: (signal) => calls.push(`graceful ${signal}`),
    onAbort: (signal) => calls.push(`abort ${signal}`),
    exit: (code) => calls.push(`exit ${code}`),
  });
  return { signals, calls, uninstall };
}

describe("installInterruptHandlers", () => {
  it("stops gracefully on the first SIGINT, without aborting or exiting", () => {
    const { signals, calls } = harness();
    signals.emit("SIGINT", "SIGINT");
    expect(calls).toEqual(["graceful SIGINT"]);
  });

  it("aborts, then exits 130, on a second SIGINT", () => {
    const { signals, calls } = harness();
    signals.emit("SIGINT", "SIGINT");
    signals.emit("SIGINT", "SIGINT");
    expect(calls).toEqual(["graceful SIGINT", "abort SIGINT", `exit ${EXIT_CODES.interrupted}`]);
    expect(EXIT_CODES.interrupted).toBe(130);
  });

  it("counts SIGTERM together with SIGINT", () => {
    const { signals, calls } = harness();
    signals.emit("SIGINT", "SIGINT");
    signals.emit("SIGTERM", "SIGTERM");
    expect(calls).toEqual(["graceful SIGINT", "abort SIGTERM", "exit 130"]);
  });

  it("still exits 130 when the abort handler throws", () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    installInterruptHandlers({
      signals,
      onGraceful: () => {},
      onAbort: () => {
        throw new Error("sweep failed");
      },
      exit: (code) => exits.push(code),
    });
    signals.emit("SIGTERM", "SIGTERM");
    expect(() => signals.emit("SIGTERM", "SIGTERM")).toThrow("sweep failed");
    expect(exits).toEqual([130]);
  });

  it("removes its listeners when uninstalled, after which signals do nothing", () => {
    const { signals, calls, uninstall } = harness();
    expect(signals.listenerCount("SIGINT")).toBe(1);
    expect(signals.listenerCount("SIGTERM")).toBe(1);
    uninstall();
    expect(signals.listenerCount("SIGINT")).toBe(0);
    expect(signals.listenerCount("SIGTERM")).toBe(0);
    signals.emit("SIGINT", "SIGINT");
    signals.emit("SIGINT", "SIGINT");
    expect(calls).toEqual([]);
  });

  it("once interrupted, stays installed after uninstall: a further Ctrl-C still sweeps and exits 130", () => {
    const { signals, calls, uninstall } = harness();
    signals.emit("SIGINT", "SIGINT");
    uninstall();
    signals.emit("SIGINT", "SIGINT");
    expect(calls).toEqual(["graceful SIGINT", "abort SIGINT", "exit 130"]);
  });
});

describe("installInterruptHandlers in a real process", () => {
  const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
  const INTERRUPT_MODULE = pathToFileURL(fileURLToPath(new URL("./interrupt.ts", import.meta.url))).href;
  const WAIT_MS = 15_000;

  /** Resolves once `predicate` holds for the output so far; rejects after WAIT_MS or if the child exits first. */
  function waitForOutput(child: ReturnType<typeof spawn>, output: () => string, predicate: (text: string) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(output())) finish(resolve);
      };
      const onExit = (): void => finish(() => reject(new Error(`child exited before ${what}; output: ${JSON.stringify(output())}`)));
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}; output: ${JSON.stringify(output())}`))), WAIT_MS);
      function finish(settle: () => void): void {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        child.off("exit", onExit);
        settle();
      }
      child.stdout?.on("data", check);
      child.once("exit", onExit);
      check();
    });
  }

  it("stops gracefully on the first Ctrl-C and exits 130 after aborting on the second", async () => {
    const dir = mkdtempSync(join(tmpdir(), "interrupt-test-"));
    const script = join(dir, "child.mjs");
    writeFileSync(
      script,
      [
        `import { installInterruptHandlers } from ${JSON.stringify(INTERRUPT_MODULE)};`,
        `installInterruptHandlers({`,
        `  onGraceful: () => console.log("graceful"),`,
        `  onAbort: () => console.log("abort"),`,
        `});`,
        `setInterval(() => {}, 1_000);`,
        `console.log("ready");`,
      ].join("\n"),
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = once(child, "exit");
    try {
      await waitForOutput(child, () => stdout + stderr, () => stdout.includes("ready"), '"ready"');
      child.kill("SIGINT");
      await waitForOutput(child, () => stdout + stderr, () => stdout.includes("graceful"), '"graceful"');
      expect(child.exitCode).toBeNull();
      child.kill("SIGINT");
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`child did not exit; output: ${stdout}${stderr}`)), WAIT_MS).unref());
      const [code, signal]: unknown[] = await Promise.race([exited, timeout]);
      expect({ code, signal }, `stderr: ${stderr}`).toEqual({ code: EXIT_CODES.interrupted, signal: null });
      expect(stdout.split("\n").filter((line) => line.length > 0)).toEqual(["ready", "graceful", "abort"]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
