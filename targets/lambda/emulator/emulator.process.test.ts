/** The same contract in process mode (lower fidelity; for machines without Docker), smaller run. */
import { describe } from "vitest";
import { emulatorContract, reapingContract } from "./contract-suite.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";

describe("Lambda emulator contract (process mode, lower fidelity)", () => {
  emulatorContract({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, full: false, runId: "test-emulator-process" });
  reapingContract({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, full: false, runId: "test-emulator-process" });
});
