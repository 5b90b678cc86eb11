/**
 * The workload names the user's tools: before anything is provisioned, every workload entry and the
 * cold-start call are checked against the server's tools/list — the tool must exist and its arguments
 * must satisfy the tool's input JSON Schema (ajv). Every problem is collected and reported at once with
 * its path, the tool, the field and the schema's own words, as a WORKLOAD_INVALID error (exit 2). The
 * same start negotiates the MCP generations the server is measured on (generations.ts).
 */
import { Ajv, type ErrorObject } from "ajv";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { HarnessError } from "../../core/errors.js";
import type { ServerGenerations } from "../../core/protocol.js";
import { openNegotiatedSession } from "./generations.js";
import type { Scenario, WorkloadCall } from "../../core/scenario.js";

/** One refused call: where it is in the scenario and why. */
export interface WorkloadProblem {
  /** e.g. "workload[1]" or "cold.call". */
  readonly path: string;
  readonly tool: string;
  readonly message: string;
}

function describeSchema(error: ErrorObject): string {
  // For a missing field the object's `required` list says it; for anything else the field's own schema.
  const text = JSON.stringify(error.keyword === "required" ? { required: error.schema } : (error.parentSchema ?? error.schema)) ?? String(error.schema);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** "arguments.a", "arguments.items[2]" from ajv's JSON pointer. */
function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath.split("/").slice(1).map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (error.keyword === "required" && typeof error.params.missingProperty === "string") segments.push(error.params.missingProperty);
  if (error.keyword === "additionalProperties" && typeof error.params.additionalProperty === "string") segments.push(error.params.additionalProperty);
  return ["arguments", ...segments].map((segment, index) => (index > 0 && /^\d+$/.test(segment) ? `[${segment}]` : `${index > 0 ? "." : ""}${segment}`)).join("");
}

/** A tool's input schema without `$schema`: servers declare draft-07 or 2020-12, and the keywords the bench checks mean the same in both. */
function compilableSchema(schema: Tool["inputSchema"]): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** Every problem of the scenario's calls against `tools` (empty: the workload is valid). */
export function workloadProblems(tools: readonly Tool[], calls: readonly { path: string; call: WorkloadCall }[]): WorkloadProblem[] {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false, logger: false });
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const problems: WorkloadProblem[] = [];
  for (const { path, call } of calls) {
    const tool = byName.get(call.tool);
    if (tool === undefined) {
      const names = [...byName.keys()];
      problems.push({ path, tool: call.tool, message: `the server has no tool "${call.tool}"; its tools are ${names.length === 0 ? "none" : names.map((name) => `"${name}"`).join(", ")}` });
      continue;
    }
    let validate;
    try {
      validate = ajv.compile(compilableSchema(tool.inputSchema));
    } catch (error) {
      problems.push({ path, tool: call.tool, message: `its input schema cannot be compiled (${error instanceof Error ? error.message : String(error)}), so its arguments cannot be checked` });
      continue;
    }
    if (validate(call.arguments)) continue;
    for (const error of validate.errors ?? []) {
      problems.push({ path, tool: call.tool, message: `${fieldOf(error)}: ${error.message ?? error.keyword} (schema ${error.schemaPath}: ${describeSchema(error)})` });
    }
  }
  return problems;
}

/** The calls a run makes: the workload entries and the cold-start call, with their scenario paths. */
export function scenarioCalls(scenario: Scenario): { path: string; call: WorkloadCall }[] {
  return [...scenario.workload.map((call, index) => ({ path: `workload[${index}]`, call })), { path: "cold.call", call: scenario.cold.call }];
}

/** Throws WORKLOAD_INVALID listing every problem; returns when the workload fits the server. */
export function assertWorkloadFits(serverLabel: string, tools: readonly Tool[], scenario: Scenario): void {
  const problems = workloadProblems(tools, scenarioCalls(scenario));
  if (problems.length === 0) return;
  const lines = problems.map((problem) => `${problem.path} (tool "${problem.tool}"): ${problem.message}`);
  throw new HarnessError("WORKLOAD_INVALID", `The workload does not fit ${serverLabel} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`, {
    hint: "Name tools the server lists and give each the arguments its input schema asks for; `npm run bench -- discover <server.json>` writes a starter scenario that fits.",
  });
}

/**
 * Starts the scenario's own server (not the fixture) on this machine, negotiates the MCP generations it
 * is measured on (generations.ts), lists its tools and checks the workload against them. Returns the
 * generations (undefined for the fixture, whose generations are the scenario's).
 */
export async function checkWorkloadAgainstServer(scenario: Scenario, log: (line: string) => void): Promise<ServerGenerations | undefined> {
  if (scenario.server.type === "fixture") return undefined;
  const negotiated = await openNegotiatedSession(scenario.server, { protocol: scenario.protocol, startupTimeoutMs: scenario.limits.startupTimeoutMs }, log);
  await using session = negotiated.session;
  const tools = await session.listTools();
  log(`${session.label}: ${tools.length} tool${tools.length === 1 ? "" : "s"} listed; checking the workload against their input schemas`);
  assertWorkloadFits(session.label, tools, scenario);
  return negotiated.generations;
}
