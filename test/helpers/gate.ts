/**
 * Suites that need something of the machine (Docker, root for cgroups) run when it is there. Without
 * it they are skipped locally with a printed reason, but under CI=true they fail: CI must exercise
 * the real thing.
 */
import { describe } from "vitest";

export const isCi = process.env.CI === "true" || process.env.CI === "1";

export interface Requirement {
  /** What the suite needs, e.g. "Docker". */
  readonly what: string;
  /** Why it is missing here; undefined when it is there. */
  readonly missingReason: string | undefined;
  /** What to do locally to run the suite, e.g. "Start Docker to run it." */
  readonly fix: string;
}

/** `describe` that runs when `requirement` is met, else skips (locally) or fails (under CI) naming the cause. */
export function describeRequiring(requirement: Requirement, name: string, body: () => void): void {
  if (requirement.missingReason === undefined) {
    describe(name, body);
    return;
  }
  if (isCi) {
    describe(name, () => {
      throw new Error(`${requirement.what} is required under CI=true: ${requirement.missingReason}`);
    });
    return;
  }
  console.warn(`[skip] ${name}: ${requirement.what} is not available here (${requirement.missingReason}). ${requirement.fix}`);
  describe.skip(name, body);
}
