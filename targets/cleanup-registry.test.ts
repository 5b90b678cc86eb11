import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { killTrackedChildrenSync, runTrackedCleanupsSync, trackChildProcess, trackSyncCleanup } from "./cleanup-registry.js";

describe("cleanup registry", () => {
  it("kills tracked children that are still alive, and forgets ones that exited", async () => {
    const finished = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    trackChildProcess(finished);
    await once(finished, "exit");
    const lingering = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
    trackChildProcess(lingering);
    const exited = once(lingering, "exit");
    expect(killTrackedChildrenSync()).toBe(1);
    const [, signalName] = await exited;
    expect(signalName).toBe("SIGKILL");
    expect(killTrackedChildrenSync()).toBe(0);
  });

  it("runs tracked synchronous cleanups once, not the ones forgotten, and goes on past one that throws", () => {
    const ran: string[] = [];
    trackSyncCleanup(() => {
      throw new Error("boom");
    });
    trackSyncCleanup(() => ran.push("kept"));
    const forget = trackSyncCleanup(() => ran.push("forgotten"));
    forget();
    expect(runTrackedCleanupsSync()).toBe(2);
    expect(ran).toEqual(["kept"]);
    expect(runTrackedCleanupsSync()).toBe(0);
  });
});
