/**
 * The workload: which tool call comes next. Smooth weighted round-robin (as nginx balances upstreams):
 * deterministic, no random numbers, and every window of sum(weights) picks honours the weights exactly,
 * so every target sees the same call sequence.
 */
import type { WorkloadCall } from "../../core/scenario.js";
import type { ToolCall } from "../../core/calls.js";

export type CallPicker = () => ToolCall;

export function toToolCall(call: WorkloadCall): ToolCall {
  return { name: call.tool, arguments: call.arguments };
}

export function createCallPicker(workload: readonly WorkloadCall[]): CallPicker {
  if (workload.length === 0) throw new Error("workload must contain at least one call");
  const calls = workload.map(toToolCall);
  const weights = workload.map((call) => call.weight);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  return () => {
    let best = 0;
    for (let index = 0; index < weights.length; index++) {
      current[index] = (current[index] ?? 0) + (weights[index] ?? 0);
      if ((current[index] ?? 0) > (current[best] ?? 0)) best = index;
    }
    current[best] = (current[best] ?? 0) - total;
    const call = calls[best];
    if (call === undefined) throw new Error("unreachable: picker index out of range");
    return call;
  };
}
