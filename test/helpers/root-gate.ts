/** Tests that create real cgroups need root on Linux: skipped locally otherwise, failing under CI=true. */
import { describeRequiring } from "./gate.js";

const uid = process.getuid?.();
export const notRootReason: string | undefined =
  process.platform !== "linux" ? `cgroups are Linux-only (this is ${process.platform})` : uid !== 0 ? `running as uid ${uid ?? "?"}, not root` : undefined;

export function describeAsRoot(name: string, body: () => void): void {
  describeRequiring({ what: "root on Linux (cgroups)", missingReason: notRootReason, fix: "Run the tests as root to exercise the cgroup cap." }, name, body);
}
