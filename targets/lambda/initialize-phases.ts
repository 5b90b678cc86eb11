/**
 * The client's `mcp_initialize` phase of a Lambda cold start, split by what the backend reports about
 * the invoke that initialised the environment (pure, unit-tested): sandbox creation (emulator only),
 * Init Duration, Duration, and the rest — the cold gap: the client's round trip, the MCP SDK and the
 * backend's API (for AWS also the network and whatever Lambda does not report). The parts sum to the
 * client's phase. When the report lacks Init Duration, or its parts exceed what the client measured
 * (clocks that do not line up), the phase stays whole: the sample is still good, just not split.
 */
import type { InvokeReport } from "../../core/calls.js";
import { LAMBDA_INITIALIZE_PHASES, type ColdStartPhase } from "../../core/cold-start.js";

export const MCP_INITIALIZE_PHASE = "mcp_initialize";

export function splitInitializePhase(initializeMs: number, report: InvokeReport | undefined): ColdStartPhase[] {
  const whole: ColdStartPhase[] = [{ name: MCP_INITIALIZE_PHASE, durationMs: initializeMs }];
  if (report?.initDurationMs === undefined) return whole;
  const parts: ColdStartPhase[] = [
    ...(report.sandboxCreationMs === undefined ? [] : [{ name: LAMBDA_INITIALIZE_PHASES.sandboxCreation, durationMs: report.sandboxCreationMs }]),
    { name: LAMBDA_INITIALIZE_PHASES.initDuration, durationMs: report.initDurationMs },
    { name: LAMBDA_INITIALIZE_PHASES.initializeDuration, durationMs: report.durationMs },
  ];
  const restMs = initializeMs - parts.reduce((sum, part) => sum + part.durationMs, 0);
  if (!(restMs >= 0)) return whole;
  return [...parts, { name: LAMBDA_INITIALIZE_PHASES.overhead, durationMs: restMs }];
}
