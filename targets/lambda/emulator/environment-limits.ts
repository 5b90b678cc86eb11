/**
 * The limits an execution environment must run with, and the refusal when it does not: memory =
 * memory+swap = MemorySize, CPU = MemorySize/1769 vCPU (from creation with init CPU "throttled"; written
 * into the cgroup at the first /next with "unthrottled"). Like the docker target's verifyLimits, a
 * missing limit is a HarnessError, never a silent measurement. Pure functions.
 */
import { HarnessError } from "../../../core/errors.js";
import { sameCpuCap, type CpuCap, type CpuCapResult } from "../../cgroup-cpu-cap.js";

/** What the engine shows for a created sandbox (Docker: HostConfig.Memory, MemorySwap, NanoCpus; 0 = none). */
export interface SandboxLimits {
  readonly memoryBytes: number;
  readonly memorySwapBytes: number;
  readonly nanoCpus: number;
}

export function expectedSandboxLimits(memorySizeMb: number, cpusAtCreation: number | undefined): SandboxLimits {
  const memoryBytes = memorySizeMb * 1024 * 1024;
  return { memoryBytes, memorySwapBytes: memoryBytes, nanoCpus: cpusAtCreation === undefined ? 0 : Math.round(cpusAtCreation * 1e9) };
}

const LIMITS_HINT =
  "Check that the Docker engine applies memory and CPU limits on this machine (cgroups; `docker info | grep -i warning`), or run the emulator in process mode, which says it applies no limits.";

/** Throws EMULATOR_LIMITS_NOT_APPLIED naming each field that differs from what was asked. */
export function verifySandboxLimits(actual: SandboxLimits, expected: SandboxLimits, environment: string): void {
  const problems: string[] = [];
  if (actual.memoryBytes !== expected.memoryBytes) problems.push(`Memory ${actual.memoryBytes} ≠ ${expected.memoryBytes}`);
  if (actual.memorySwapBytes !== expected.memorySwapBytes) problems.push(`MemorySwap ${actual.memorySwapBytes} ≠ ${expected.memorySwapBytes}`);
  if (actual.nanoCpus !== expected.nanoCpus) problems.push(`NanoCpus ${actual.nanoCpus} ≠ ${expected.nanoCpus}`);
  if (problems.length === 0) return;
  throw new HarnessError("EMULATOR_LIMITS_NOT_APPLIED", `Lambda environment ${environment} was not created with the limits asked for: ${problems.join(", ")}; the emulator refuses to measure it.`, {
    hint: LIMITS_HINT,
  });
}

/** Throws EMULATOR_LIMITS_NOT_APPLIED unless the cap written at the first /next reads back as `expected`. */
export function verifyCpuCapAtFirstNext(result: CpuCapResult, expected: CpuCap, environment: string): void {
  if (result.ok && sameCpuCap(result.cap, expected)) return;
  const found = result.ok ? `reads back ${result.cap.quotaUs}/${result.cap.periodUs} µs` : `could not be written (${result.reason})`;
  throw new HarnessError(
    "EMULATOR_LIMITS_NOT_APPLIED",
    `Lambda environment ${environment}: the CPU cap ${expected.quotaUs}/${expected.periodUs} µs (init CPU "unthrottled", applied at the first /next) ${found}; the emulator refuses to measure uncapped.`,
    { hint: `Run the emulator as root on a host whose cgroup CPU files it can write, or use init CPU "throttled" (the cap is then set at creation). ${LIMITS_HINT}` },
  );
}
