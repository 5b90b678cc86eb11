/**
 * Tests that need Docker run when an engine answers. Without one they are skipped locally with a
 * printed reason, but under CI=true they fail: CI must exercise the real containers.
 */
import { execFileSync } from "node:child_process";
import { describe } from "vitest";

function probeDocker(): string | undefined {
  try {
    execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "pipe", timeout: 15_000 });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

export const dockerUnavailableReason: string | undefined = probeDocker();
export const isCi = process.env.CI === "true" || process.env.CI === "1";

/**
 * `describe` for suites that need Docker. Locally without Docker: skipped, with the reason printed.
 * Under CI without Docker: runs, and its first test fails naming the cause.
 */
export function describeWithDocker(name: string, body: () => void): void {
  if (dockerUnavailableReason === undefined) {
    describe(name, body);
    return;
  }
  if (isCi) {
    describe(name, () => {
      throw new Error(`Docker is required under CI=true but no engine answered: ${dockerUnavailableReason}`);
    });
    return;
  }
  console.warn(`[skip] ${name}: Docker is not available here (${dockerUnavailableReason}). Start Docker to run it.`);
  describe.skip(name, body);
}
