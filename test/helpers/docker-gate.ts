/**
 * Tests that need Docker run when an engine answers. Without one they are skipped locally with a
 * printed reason, but under CI=true they fail: CI must exercise the real containers.
 */
import { execFileSync } from "node:child_process";
import { describeRequiring } from "./gate.js";

function probeDocker(): string | undefined {
  try {
    execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "pipe", timeout: 15_000 });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

export const dockerUnavailableReason: string | undefined = probeDocker();

/**
 * `describe` for suites that need Docker. Locally without Docker: skipped, with the reason printed.
 * Under CI without Docker: runs, and its first test fails naming the cause.
 */
export function describeWithDocker(name: string, body: () => void): void {
  describeRequiring({ what: "Docker", missingReason: dockerUnavailableReason === undefined ? undefined : `no engine answered: ${dockerUnavailableReason}`, fix: "Start Docker to run it." }, name, body);
}
