/** The sentence for each typed warning: the only place a warning code becomes words. */
import type { Warning } from "../core/warnings.js";
import { counted } from "./format.js";

function dataText(warning: Warning, key: string): string {
  const value = warning.data[key];
  return value === undefined ? "?" : String(value);
}

export function warningSentence(warning: Warning): string {
  switch (warning.code) {
    case "machine_busy":
      return `The machine was busy when the run started (1-minute load average ${dataText(warning, "loadAverage")} on ${counted(dataText(warning, "cores"), "core")}): expect noisy tails; close other work or re-run.`;
    case "few_cold_samples":
      return `Only ${counted(dataText(warning, "samples"), "cold-start sample")} per target: the cold-start p95 is close to the maximum of a few values; use --cold-samples 20 or more for a stable distribution.`;
    case "lower_fidelity":
      return `${warning.target ?? "?"} ran on the "${dataText(warning, "backend")}" backend, a lower-fidelity stand-in (no container isolation or CPU/memory limits): use its figures for relative trends only.`;
    case "cold_env_calls":
      return `${warning.target ?? "?"}: ${counted(dataText(warning, "calls"), "call")} during load phases hit a freshly initialised environment; they are reported separately ("cold-env") and kept out of warm percentiles. A longer warm-up reduces them.`;
    case "oversubscribed":
      return `${warning.target ?? "?"} / ${warning.phase ?? "?"}: up to ${counted(dataText(warning, "instances"), "instance")} × ${dataText(warning, "vcpusEach")} vCPU plus the harness (up to 1 core) need ${dataText(warning, "demandVcpus")} vCPU, but the machine has ${counted(dataText(warning, "cores"), "core")}: the instances could not all get the CPU share they model, so this phase's latencies include CPU contention on the machine. Lower the concurrency, or run on a machine with more cores.`;
    case "uncapped_floor":
      return `${warning.target ?? "?"}: the process floor ran uncapped (${dataText(warning, "reason")}; it could use ${dataText(warning, "cpus")} vCPU), so "added over the floor" includes the effect of the CPU cap the other targets ran under. Run the bench as root on Linux with a writable cgroup file system (cpu controller) to give the floor the same cap.`;
    case "legacy_text":
      return dataText(warning, "message");
  }
}
