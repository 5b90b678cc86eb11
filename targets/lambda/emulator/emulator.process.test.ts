/** The same contract in process mode (lower fidelity; for machines without Docker), smaller run. */
import { describe } from "vitest";
import { emulatorContract, reapingContract } from "./contract-suite.js";

describe("Lambda emulator contract (process mode, lower fidelity)", () => {
  emulatorContract({ mode: "process", full: false, runId: "test-emulator-process" });
  reapingContract({ mode: "process", full: false, runId: "test-emulator-process" });
});
