/**
 * Older results files stay readable: each is migrated to the current schema on reading, so reporters
 * only ever see one shape.
 *
 * v1 → v2: the cold-environment split hidden in the phase name ("<phase>:cold-env") becomes the
 * `environment` field; v1 merged repetitions, so its series have `repetition: null`; its warning
 * strings become typed warnings (known sentences by their code, others kept as text); a v1 file was
 * written once at the end, so it is complete; v1 runs deployed nodejs20.x on Node 20.
 */
import { COLD_PHASE } from "./constants.js";
import type { Results } from "./results.js";
import { RESULTS_SCHEMA_VERSION } from "./results.js";
import type { ResultsV1 } from "./results-v1.js";
import type { Warning } from "./warnings.js";

const V1_COLD_ENV_SUFFIX = ":cold-env";

function v1Warning(text: string): Warning {
  const busy = /^The machine was busy when the run started \(1-minute load average ([\d.]+) on (\d+) cores\)/.exec(text);
  if (busy !== null) return { code: "machine_busy", severity: "warning", data: { loadAverage: Number(busy[1]), cores: Number(busy[2]) } };
  const few = /^Only (\d+) cold-start samples per target/.exec(text);
  if (few !== null) return { code: "few_cold_samples", severity: "warning", data: { samples: Number(few[1]) } };
  const lower = /^(\w+) ran on the "([^"]*)" backend, a lower-fidelity stand-in/.exec(text);
  if (lower?.[1] !== undefined && lower[2] !== undefined) return { code: "lower_fidelity", severity: "warning", target: lower[1], data: { backend: lower[2] } };
  const coldEnv = /^(\w+): (\d+) calls during load phases hit a freshly initialised environment/.exec(text);
  if (coldEnv?.[1] !== undefined) return { code: "cold_env_calls", severity: "info", target: coldEnv[1], data: { calls: Number(coldEnv[2]) } };
  return { code: "legacy_text", severity: "warning", data: { message: text } };
}

export function migrateV1(v1: ResultsV1): Results {
  const { schemaVersion, ...rest } = v1;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    ...rest,
    complete: true,
    migratedFrom: schemaVersion,
    // Schema v1 runs deployed nodejs20.x and ran Node 20 in every target.
    scenario: { ...v1.scenario, lambda: { ...v1.scenario.lambda, runtime: "nodejs20.x" }, node: { version: "20" } },
    series: v1.series.map((series) => {
      const coldEnv = series.phase.endsWith(V1_COLD_ENV_SUFFIX);
      return {
        ...series,
        phase: coldEnv ? series.phase.slice(0, -V1_COLD_ENV_SUFFIX.length) : series.phase,
        repetition: null,
        environment: coldEnv || series.phase === COLD_PHASE ? "cold-env" : "warm",
      };
    }),
    warnings: v1.warnings.map(v1Warning),
  };
}
