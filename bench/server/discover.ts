/**
 * `npm run bench -- discover <server.json>`: starts the user's server on this machine (server-session.ts), lists its tools
 * and writes a starter scenario that runs as written: every tool with example arguments built from its
 * input schema (example-arguments.ts), tried once each; tools that failed the trial call, or that say
 * they are destructive (annotations.destructiveHint), are left out of the workload and named in the
 * scenario's description, so a user sees what to fill in by hand. It also says which MCP generations
 * the server speaks, negotiated as a run would (generations.ts).
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { HarnessError } from "../../core/errors.js";
import type { ScenarioInput, WorkloadCall } from "../../core/scenario.js";
import { serverConfigSchema } from "../../core/server-config.js";
import { formatIssues } from "../../core/zod-issues.js";
import { validateScenario } from "../config/load.js";
import { exampleArguments } from "./example-arguments.js";
import type { ServerGenerations } from "../../core/protocol.js";
import { openNegotiatedSession } from "./generations.js";
import type { UserServerConfig } from "./server-session.js";
import { workloadProblems } from "./workload-check.js";

/** Each tool's trial call must answer within this. */
const TRIAL_CALL_TIMEOUT_MS = 5_000;
const START_TIMEOUT_MS = 60_000;

/** What discover found: the starter scenario, every listed tool, and the tools left out of the workload. */
export interface DiscoverResult {
  /** Written to the output file as is; validated like any scenario. */
  readonly scenario: ScenarioInput;
  readonly tools: readonly Tool[];
  /** Tools left out of the workload, each with why (a failed trial call, a destructive annotation). */
  readonly excluded: readonly { readonly tool: string; readonly reason: string }[];
  /** The MCP generations it speaks, negotiated as a run would (the starter scenario leaves protocol out). */
  readonly generations: ServerGenerations;
}

/** Reads a server config: a file holding the `server` section itself, or a scenario with one. */
export async function readServerConfig(path: string): Promise<UserServerConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new HarnessError("CONFIG_INVALID", `Cannot read the server config ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'Write a JSON file such as { "type": "stdio", "package": { "name": "@modelcontextprotocol/server-everything", "version": "2026.8.31" } }.',
    });
  }
  const section = typeof raw === "object" && raw !== null && "server" in raw ? raw.server : raw;
  const parsed = serverConfigSchema.safeParse(section);
  if (!parsed.success) {
    throw new HarnessError("CONFIG_INVALID", `Server config ${path} has problems:\n  ${formatIssues(parsed.error.issues).join("\n  ")}`, {
      hint: "Fix the fields named above; see README, \"Benchmark your own server\".",
    });
  }
  if (parsed.data.type === "fixture") {
    throw new HarnessError("CONFIG_INVALID", `Server config ${path} names the fixture, whose scenarios are built in.`, { hint: "Run `npm run bench` for the fixture; discover is for your own server (type \"stdio\", \"module\" or \"image\")." });
  }
  return parsed.data;
}

/** Lists the server's tools, tries each with example arguments, and builds the starter scenario. */
export async function discoverScenario(server: UserServerConfig, log: (line: string) => void = () => {}): Promise<DiscoverResult> {
  const negotiated = await openNegotiatedSession(server, { startupTimeoutMs: START_TIMEOUT_MS }, log);
  await using session = negotiated.session;
  const tools = await session.listTools();
  const workload: WorkloadCall[] = [];
  const excluded: { tool: string; reason: string }[] = [];
  for (const tool of tools) {
    if (tool.annotations?.destructiveHint === true) {
      excluded.push({ tool: tool.name, reason: "destructive by its annotations" });
      continue;
    }
    const call: WorkloadCall = { tool: tool.name, arguments: exampleArguments(tool.inputSchema), weight: 1 };
    const problems = workloadProblems(tools, [{ path: tool.name, call }]);
    if (problems.length > 0) {
      excluded.push({ tool: tool.name, reason: `no example arguments fit its schema (${problems[0]?.message ?? "?"})` });
      continue;
    }
    const trial = await session.tryCall({ name: call.tool, arguments: call.arguments }, TRIAL_CALL_TIMEOUT_MS);
    if (trial.outcome !== "ok") {
      excluded.push({ tool: tool.name, reason: `its trial call failed: ${trial.detail}` });
      continue;
    }
    workload.push(call);
  }
  const first = workload[0];
  if (first === undefined) {
    throw new HarnessError("WORKLOAD_INVALID", `${session.label} lists ${tools.length} tool(s), but none answered a trial call with example arguments: ${excluded.map((entry) => `${entry.tool}: ${entry.reason}`).join("; ") || "no tools"}.`, {
      hint: "Write the workload by hand: each entry { \"tool\": name, \"arguments\": {...} } as the tool's input schema asks.",
    });
  }
  const note = excluded.length === 0 ? "" : ` Left out (add them with arguments of your own): ${excluded.map((entry) => `${entry.tool} (${entry.reason.slice(0, 80)})`).join("; ")}.`;
  const scenario: ScenarioInput = {
    name: "discovered",
    description: `Starter scenario for ${session.label} written by discover: each tool with example arguments from its input schema.${note}`.slice(0, 500),
    server,
    // A container image has no Lambda or process form.
    targets: server.type === "image" ? ["docker"] : ["docker", "lambda", "process"],
    workload,
    cold: { samples: 3, call: first },
    phases: [{ name: "steady", driver: "closed", concurrency: 2, durationSeconds: 10, warmupSeconds: 2 }],
  };
  validateScenario(scenario, "written by discover");
  return { scenario, tools, excluded, generations: negotiated.generations };
}

/** Writes the starter scenario; refuses to overwrite a file unless asked. */
export async function writeStarterScenario(path: string, scenario: ScenarioInput, overwrite: boolean): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(scenario, null, 2)}\n`, { flag: overwrite ? "w" : "wx" });
  } catch (error) {
    const exists = typeof error === "object" && error !== null && "code" in error && error.code === "EEXIST";
    throw new HarnessError(exists ? "OUTPUT_UNWRITABLE" : "OUTPUT_WRITE_FAILED", exists ? `${path} exists already.` : `Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: exists ? "Pass --force to overwrite it, or -o another-file.json." : "Choose a writable path with -o.",
    });
  }
}
