/**
 * Resolving a scenario: a built-in name or a JSON file, then CLI overrides applied to the raw data,
 * then one validation that reports every problem at once with its path (k6 style).
 */
import type { z } from "zod";
import { HarnessError } from "../../core/errors.js";
import { readJsonFile } from "../../core/json-file.js";
import { BUILTIN_SCENARIOS, DEFAULT_SCENARIO } from "./builtin.js";
import { scaleIdleTimes } from "./idle-scale.js";
import { deprecationOf, LAMBDA_NODE_RUNTIMES, NODE_MAJORS } from "../../core/runtimes.js";
import { STDIO_STATELESS_REASON } from "../../core/protocol.js";
import { LAMBDA_ENTRIES, PHASE_DRIVERS, scenarioSchema, TARGET_NAMES, toolCallSchema, type LambdaEntryName, type Scenario } from "../../core/scenario.js";

/** Overrides from CLI flags; each names the scenario field it replaces. */
export interface ScenarioOverrides {
  readonly targets?: readonly string[];
  readonly repetitions?: number;
  /** Replaces `concurrency` of every closed phase. */
  readonly concurrency?: number;
  /** Replaces `durationSeconds` of every load phase (a sweep's secondsPerLevel, a ramp's secondsPerStep; a throughput phase's stepSeconds; a burst keeps its idleSeconds). */
  readonly durationSeconds?: number;
  readonly coldSamples?: number;
  readonly lambdaBackend?: string;
  /** Replaces `ratePerSecond` of every open phase. */
  readonly ratePerSecond?: number;
  /** Multiplies every idle time (idle gaps, a burst's quiet time, the emulator's keep-alive, docker's idleTimeoutSeconds): bench/config/idle-scale.ts. */
  readonly idleScale?: number;
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One line per issue: `phases.0.concurrency: Too small: expected number to be >=1`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? "(scenario)" : issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((key) => `"${key}"`).join(", ");
      return `${path}: unknown key ${keys} (check the spelling; see --help for the fields)`;
    }
    if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return `${path}: is required`;
    return `${path}: ${issue.message}`;
  });
}

/** Reads a scenario by built-in name or JSON file path, without validating it. */
async function readScenarioSource(nameOrPath: string | undefined): Promise<Raw> {
  const source = nameOrPath ?? DEFAULT_SCENARIO;
  const builtin = BUILTIN_SCENARIOS[source];
  if (builtin !== undefined) return structuredClone(builtin) as Raw;
  if (!source.endsWith(".json")) {
    throw new HarnessError("SCENARIO_NOT_FOUND", `Unknown scenario "${source}".`, {
      hint: `Use a built-in scenario (${Object.keys(BUILTIN_SCENARIOS).join(", ")}) or a path to a .json scenario file.`,
    });
  }
  const parsed = await readJsonFile(source, {
    label: "scenario file",
    notFoundCode: "SCENARIO_NOT_FOUND",
    invalidCode: "SCENARIO_INVALID",
    notFoundHint: "Check the path, or use a built-in scenario: --scenario quick",
  });
  if (!isRecord(parsed)) {
    throw new HarnessError("SCENARIO_INVALID", `Scenario file ${source} must contain a JSON object, not ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : `a ${typeof parsed}`}.`, {
      hint: 'Write the scenario as one object, e.g. { "targets": ["docker", "process"], "cold": { "samples": 3 } }; `npm run bench -- --print-scenario` prints a complete one.',
    });
  }
  return parsed;
}

/**
 * The key `--duration` replaces, by driver: a sweep's seconds per level, a ramp's seconds per step; a
 * burst has no duration (its idle time is part of the shape) and keeps it.
 */
const DURATION_KEYS: Readonly<Record<string, string | undefined>> = { closed: "durationSeconds", open: "durationSeconds", sweep: "secondsPerLevel", ramp: "secondsPerStep", burst: undefined, "idle-gap": undefined, throughput: "stepSeconds" };

/** Applies CLI overrides to raw scenario data (before validation, so errors keep their paths). */
export function applyOverrides(raw: Raw, overrides: ScenarioOverrides): Raw {
  const result: Raw = { ...raw };
  if (overrides.targets !== undefined) result.targets = [...overrides.targets];
  if (overrides.repetitions !== undefined) result.repetitions = overrides.repetitions;
  if (overrides.coldSamples !== undefined) result.cold = { ...(isRecord(raw.cold) ? raw.cold : {}), samples: overrides.coldSamples };
  if (overrides.concurrency !== undefined || overrides.durationSeconds !== undefined || overrides.ratePerSecond !== undefined) {
    const phases = Array.isArray(raw.phases) ? raw.phases : (scenarioSchema.shape.phases.parse(undefined) as unknown[]);
    result.phases = phases.map((phase: unknown) => {
      if (!isRecord(phase)) return phase;
      const next: Raw = { ...phase };
      const durationKey = typeof phase.driver === "string" ? DURATION_KEYS[phase.driver] : "durationSeconds";
      if (overrides.durationSeconds !== undefined && durationKey !== undefined) next[durationKey] = overrides.durationSeconds;
      if (overrides.concurrency !== undefined && phase.driver === "closed") next.concurrency = overrides.concurrency;
      if (overrides.ratePerSecond !== undefined && phase.driver === "open") next.ratePerSecond = overrides.ratePerSecond;
      return next;
    });
  }
  if (overrides.lambdaBackend !== undefined) {
    const lambda = isRecord(raw.lambda) ? raw.lambda : {};
    const backend = isRecord(lambda.backend) ? lambda.backend : {};
    result.lambda = { ...lambda, backend: backend.type === overrides.lambdaBackend ? backend : { type: overrides.lambdaBackend } };
  }
  return overrides.idleScale === undefined ? result : scaleIdleTimes(result, overrides.idleScale);
}

/**
 * What a new run may ask for, beyond the results schema: results keep what ran (nodejs20.x in older
 * files), but a run deploys only supported runtimes, and says why an old one is refused. Reserved
 * concurrency 0 is refused too: Lambda throttles every invoke of such a function, MCP initialize
 * included, so no client could connect and the run would measure nothing but 429s. So is a scenario
 * with no cold starts and no load phases: it would provision everything and measure nothing.
 */
const runnableScenarioSchema = scenarioSchema.superRefine((scenario, context) => {
  const runtime = scenario.lambda.runtime;
  if (!(LAMBDA_NODE_RUNTIMES as readonly string[]).includes(runtime)) {
    const deprecation = deprecationOf(runtime);
    context.addIssue({
      code: "custom",
      path: ["lambda", "runtime"],
      message: `${runtime} ${deprecation === undefined ? "is not a runtime the bench deploys" : `is ${deprecation}`}: use ${LAMBDA_NODE_RUNTIMES.map((name) => `"${name}"`).join(" or ")}`,
    });
  }
  if (scenario.server.type !== "fixture" && scenario.lambda.entry?.includes("function-url") === true) {
    context.addIssue({
      code: "custom",
      path: ["lambda", "entry"],
      message: `"function-url" serves the fixture only for now (the handler in your server's zip, the stdio adapter or the module handler, answers Invoke events, not HTTP events): use ["invoke"]`,
    });
  }
  if (scenario.server.type !== "fixture" && scenario.protocol?.includes("2026-07-28") === true) {
    context.addIssue({
      code: "custom",
      path: ["protocol"],
      message: `"2026-07-28" is measured on the fixture only for now: ${STDIO_STATELESS_REASON}. Leave protocol out (the bench negotiates what your server speaks and says so) or use ["2025-11-25"]`,
    });
  }
  if (scenario.server.type === "image") {
    const others = scenario.targets.filter((name) => name !== "docker");
    if (others.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["targets"],
        message: `${others.map((name) => `"${name}"`).join(" and ")} cannot run a container image (it has no Lambda or process form): use ["docker"] (the default for an image server), or give the server as a module or stdio server to compare targets`,
      });
    }
    if (typeof scenario.server.port === "number" && scenario.repetitions > 1) {
      // The runner keeps a target's warm container until its last repetition: the next repetition's cold
      // starts would find the port taken (or, with an HTTP probe, be answered by the warm container).
      context.addIssue({
        code: "custom",
        path: ["server", "port"],
        message: `the image listens on the fixed port ${scenario.server.port}, so a cold start cannot run while the warm container of an earlier repetition holds it: use repetitions 1, or give the port through an environment variable (server.port: { "env": "PORT" })`,
      });
    }
    const replicas = scenario.docker.replicas;
    if (typeof scenario.server.port === "number" && replicas !== undefined && replicas !== 1) {
      context.addIssue({
        code: "custom",
        path: ["docker", "replicas"],
        message: `the image listens on the fixed port ${scenario.server.port}, so only one container can run at a time (host network): leave replicas out, or give the port through an environment variable (server.port: { "env": "PORT" })`,
      });
    }
  }
  if (scenario.targets.includes("lambda") && scenario.lambda.reservedConcurrency === 0) {
    context.addIssue({
      code: "custom",
      path: ["lambda", "reservedConcurrency"],
      message:
        "0 throttles every invoke (Lambda turns the function off: even MCP initialize gets 429), so the run could measure nothing: leave it out (unreserved) or set it to at least 1 — below a phase's concurrency the calls beyond it are recorded as Lambda 429s",
    });
  }
  if (scenario.cold.samples === 0 && scenario.phases.length === 0) {
    context.addIssue({
      code: "custom",
      path: ["cold", "samples"],
      message: "is 0 and phases is empty, so the run would measure nothing: set cold.samples to at least 1 (--cold-samples 1) or add a load phase to phases",
    });
  }
  const version = scenario.node.version;
  if (version !== undefined && !(NODE_MAJORS as readonly string[]).includes(version)) {
    context.addIssue({ code: "custom", path: ["node", "version"], message: `Node ${version} is not offered: use ${NODE_MAJORS.map((major) => `"${major}"`).join(" or ")} (or leave it out to follow lambda.runtime)` });
  }
});

/**
 * The fixture's tools have known argument schemas (core/scenario.ts toolCallSchema): when the scenario
 * measures the fixture, its workload and cold call are checked against them here, on the raw data, so
 * these problems are listed together with every other one. A user's server is checked against its own
 * tools/list before the run instead (bench/server/workload-check.ts).
 */
function fixtureToolIssues(raw: unknown): z.core.$ZodIssue[] {
  if (!isRecord(raw) || (raw.server !== undefined && !(isRecord(raw.server) && raw.server.type === "fixture"))) return [];
  const calls: [PropertyKey[], unknown][] = [];
  if (Array.isArray(raw.workload)) raw.workload.forEach((call: unknown, index) => calls.push([["workload", index], call]));
  if (isRecord(raw.cold) && raw.cold.call !== undefined) calls.push([["cold", "call"], raw.cold.call]);
  return calls.flatMap(([path, call]) => {
    const checked = toolCallSchema.safeParse(call);
    return checked.success ? [] : checked.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
  });
}

/** Validates raw scenario data; throws one HarnessError listing every problem with its path. */
/**
 * Both entries for the fixture on every backend (as MCP clients reach a Lambda server by URL; on aws the
 * URL row needs lambda:*FunctionUrlConfig, lambda:InvokeFunctionUrl and logs:FilterLogEvents: README);
 * invoke only for a user's server (a stdio adapter or module handler answers Invoke events only).
 */
function defaultLambdaEntries(scenario: Scenario): LambdaEntryName[] {
  return scenario.server.type === "fixture" ? [...LAMBDA_ENTRIES] : ["invoke"];
}

/** An image server runs on docker only: without `targets`, that is the scenario's target list (load.ts refuses others). */
function withImageServerTargets(raw: unknown): unknown {
  return isRecord(raw) && raw.targets === undefined && isRecord(raw.server) && raw.server.type === "image" ? { ...raw, targets: ["docker"] } : raw;
}

export function validateScenario(input: unknown, origin: string): Scenario {
  const raw = withImageServerTargets(input);
  const result = runnableScenarioSchema.safeParse(raw);
  const fixtureIssues = fixtureToolIssues(raw);
  // A new scenario without lambda.entry measures both entries where the backend has both (the emulator);
  // results files without one ran invoke only.
  if (result.success && fixtureIssues.length === 0) return { ...result.data, lambda: { ...result.data.lambda, entry: result.data.lambda.entry ?? defaultLambdaEntries(result.data) } };
  // Both checks see the same calls (e.g. an unknown key): each problem is listed once.
  const lines = [...new Set(formatIssues([...(result.success ? [] : result.error.issues), ...fixtureIssues]))];
  throw new HarnessError("SCENARIO_INVALID", `Scenario ${origin} has ${lines.length} problem${lines.length === 1 ? "" : "s"}:\n  ${lines.join("\n  ")}`, {
    hint: `Fix the fields named above. Targets are ${TARGET_NAMES.join(", ")}; drivers are ${PHASE_DRIVERS.map((driver) => `"${driver}"`).join(", ")}.`,
  });
}

export async function loadScenario(nameOrPath: string | undefined, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  const raw = await readScenarioSource(nameOrPath);
  return validateScenario(applyOverrides(raw, overrides), `"${nameOrPath ?? DEFAULT_SCENARIO}"`);
}
