/**
 * Tests that open a page in a real browser use Debian's Chromium (/usr/bin/chromium, `apt-get install
 * chromium`; .ci/run installs it). Without it they are skipped locally with a printed reason, but under
 * CI=true they fail.
 */
import { existsSync } from "node:fs";
import { describeRequiring } from "./gate.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** `describe` for suites that need Chromium. */
export function describeWithChromium(name: string, body: () => void): void {
  const missingReason = existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} does not exist`;
  describeRequiring({ what: "Chromium", missingReason, fix: "Install it (apt-get install chromium) to run it." }, name, body);
}
