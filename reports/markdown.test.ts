import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Recorder } from "../bench/recorder/recorder.js";
import { resultsSchema, type Results } from "../core/results.js";
import { mergePhaseOrder, renderMarkdown } from "./markdown.js";
import { buildFixtureResults, minimalResults, withFailedTarget } from "../test/helpers/results-fixture.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "report.md");

function expectClean(markdown: string): void {
  expect(markdown).not.toMatch(/NaN|Infinity|undefined|\[object /);
}

/** Text before the first "## " heading: the title and the warning block. */
function top(markdown: string): string {
  return markdown.slice(0, markdown.indexOf("\n## "));
}

describe("renderMarkdown", () => {
  it("matches the golden report (UPDATE_GOLDEN=1 to regenerate)", () => {
    const markdown = renderMarkdown(buildFixtureResults());
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, markdown);
    }
    expect(markdown).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("words the warm verdict for a win, a tie and unequal capacity (goldens, UPDATE_GOLDEN=1 to regenerate)", () => {
    const cases = [
      ["verdict-win.md", buildFixtureResults({ capacity: "matched" })],
      ["verdict-tie.md", buildFixtureResults({ capacity: "matched", lambdaLikeDocker: true })],
      ["verdict-capacity-mismatch.md", buildFixtureResults()],
    ] as const;
    for (const [file, results] of cases) {
      const markdown = renderMarkdown(results);
      const verdict = markdown.slice(markdown.indexOf("## Verdict"), markdown.indexOf("## Warm latency"));
      const path = join(dirname(GOLDEN), file);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, verdict);
      expect(verdict, file).toBe(readFileSync(path, "utf8"));
    }
  });

  it("never names a winner on unequal capacity: the headline says so, and a scale-out finding states both counts", () => {
    const mismatch = renderMarkdown(buildFixtureResults());
    expect(mismatch).toContain("**Warm, per tool — capacity differs, no winner** (1 container vs 4 Lambda environments, 0.579 vCPU each; Lambda's count is the concurrency — one environment per in-flight call — not observed;");
    expect(mismatch).not.toMatch(/too close to call|× faster;/);
    const matched = renderMarkdown(buildFixtureResults({ capacity: "matched" }));
    expect(matched).toMatch(
      /\*\*Scale-out\*\* \(phase "open-20rps", open 20\/s, all tools merged\): with calls arriving at 20\/s, Lambda ran 2 environments while docker ran 1 container \(0\.579 vCPU each\): docker p95 [\d.]+ ms vs lambda \(emulator\) p95 [\d.]+ ms — on unequal capacity; Lambda had 2\.0× the instances, so this is no per-call comparison\./,
    );
    const tie = renderMarkdown(buildFixtureResults({ capacity: "matched", lambdaLikeDocker: true }));
    expect(tie).toMatch(/\*\*Warm, all tools, on equal capacity\*\* .*: within 10% of each other — too close to call from one run\./);
  });

  it("takes a concurrency-1 phase as the headline when no phase is capacity-matched, and reports the unequal one as scale-out", () => {
    const results = structuredClone(buildFixtureResults());
    const steady = results.scenario.phases[0];
    if (steady?.driver !== "closed") throw new Error("fixture's first phase is not closed");
    steady.concurrency = 1;
    const lambdaOpen = results.targets.find((target) => target.name === "lambda")?.phases.find((phase) => phase.phase === "open-20rps");
    if (lambdaOpen === undefined) throw new Error("fixture has no lambda open phase");
    lambdaOpen.instances = { count: 4, source: "observed" };
    const markdown = renderMarkdown(resultsSchema.parse(results));
    const lines = markdown.slice(markdown.indexOf("## Verdict"), markdown.indexOf("## Warm latency")).split("\n").filter((line) => line.startsWith("- "));
    expect(lines[0]).toMatch(/^- \*\*Warm, per tool, at concurrency 1\*\* \(one request at a time: 1 container vs 1 Lambda environment, 0\.579 vCPU each; p95 of successful calls, phase "steady", closed c=1\): echo .* — docker [\d.]+× faster/);
    expect(lines[2]).toMatch(/^- \*\*Scale-out\*\* \(phase "open-20rps", open 20\/s, all tools merged\): with calls arriving at 20\/s, Lambda ran 4 environments while docker ran 1 container \(0\.579 vCPU each\): .* — on unequal capacity; Lambda had 4\.0× the instances, so this is no per-call comparison\.$/);
  });

  it("is a pure function of the results", () => {
    const results = buildFixtureResults();
    const before = JSON.stringify(results);
    expect(renderMarkdown(results)).toBe(renderMarkdown(structuredClone(results)));
    expect(JSON.stringify(results)).toBe(before);
  });

  it("puts the verdict first, with units, and the warning block above it", () => {
    const markdown = renderMarkdown(buildFixtureResults());
    expectClean(markdown);
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(["Verdict", "Warm latency", "Cold starts", "Lambda — lambda (emulator)", "Cost", "Published claims", "Outcomes", "Errors", "Throughput and harness overhead", "Methodology"]);
    expect(top(markdown)).toMatch(/> ⚠ 5 of 1,800 calls failed \(docker: 3 timeout; lambda \(emulator\): 2 transport_error; 2 of them Lambda 429s: TooManyRequestsException\) — see Errors\./);
    expect(markdown).toMatch(/\*\*Warm, all tools — capacity differs, no winner\*\* \(1 container vs 4 Lambda environments, 0\.579 vCPU each; .*\): docker p95 [\d.]+ ms vs lambda \(emulator\) p95 [\d.]+ ms\. No phase compares docker and Lambda on equal capacity, so no winner is named/);
    expect(markdown).not.toMatch(/× faster than lambda|docker [\d.]+× faster/);
    const matched = renderMarkdown(buildFixtureResults({ capacity: "matched" }));
    expect(matched).toMatch(/\*\*Warm, all tools, on equal capacity\*\* \(4 containers vs 4 Lambda environments, 0\.579 vCPU each; .*\): docker p95 [\d.]+ ms vs lambda \(emulator\) p95 [\d.]+ ms: docker [\d.]+× faster than lambda \(emulator\) warm\./);
    expect(markdown).toContain("a mix weighted by the workload (echo ×3, cpu ×1)");
  });

  it("leads the verdict with a per-tool comparison, echo first as the deployment's own overhead, and a per-tool table", () => {
    const markdown = renderMarkdown(buildFixtureResults({ capacity: "matched" }));
    const verdict = markdown.slice(markdown.indexOf("## Verdict"), markdown.indexOf("## Warm latency"));
    const lines = verdict.split("\n").filter((line) => line.startsWith("- "));
    expect(lines[0]).toMatch(
      /^- \*\*Warm, per tool, on equal capacity\*\* \(4 containers vs 4 Lambda environments, 0\.579 vCPU each; p95 of successful calls, phase "steady", closed c=4\): echo \(no work: the deployment's own overhead\): docker [\d.]+ ms vs lambda \(emulator\) [\d.]+ ms — docker [\d.]+× faster; cpu: /,
    );
    // The floor is one process: compared per tool only where it ran on the same capacity (one request at a time), not at c=4.
    expect(lines[0]).not.toContain("floor");
    expect(lines[1]).toMatch(/^- \*\*Warm, all tools, on equal capacity\*\*/);
    const perTool = markdown.slice(markdown.indexOf("### Per tool"), markdown.indexOf("## Cold starts"));
    // One row per target × phase × tool: 3 targets × 2 phases × 2 tools.
    expect(perTool.split("\n").filter((line) => /^\| (docker|lambda|process)/.test(line))).toHaveLength(12);
  });

  it("states Lambda's cold gap next to Init Duration and splits its initialize in the cold-start table", () => {
    const markdown = renderMarkdown(buildFixtureResults());
    const lambda = markdown.slice(markdown.indexOf("## Lambda"), markdown.indexOf("## Outcomes"));
    expect(lambda).toMatch(/\| Init Duration, cold starts +\| p50 [\d.]+ ms.*\n\| sandbox \(container\) creation, cold starts \(not in Init Duration\) +\| p50 [\d.]+ ms.*\n\| cold gap: client's initialize − sandbox creation − Init Duration − Duration +\| p50 [\d.]+ ms, p95 [\d.]+ ms \(n=5\)/);
    expect(lambda).toContain("The cold gap is the part of the client's initialize call that neither the REPORT (Init Duration + Duration) nor a reported sandbox creation accounts for: the client's round trip, the MCP SDK and the emulator's API");
    const cold = markdown.slice(markdown.indexOf("## Cold starts"), markdown.indexOf("## Lambda"));
    expect(cold).toMatch(/\| sandbox_creation \| init_duration \| initialize_duration \| initialize_overhead \|/);
    expect(cold).not.toMatch(/\| Init Duration \|/);
  });

  it("compares with the floor on the same capacity, or says the floor served every client alone", () => {
    // The fixture has no concurrency-1 phase: the floor (one process) is compared in "steady" (c=4), with the caveat.
    const floor = renderMarkdown(buildFixtureResults({ capacity: "matched" }))
      .split("\n")
      .find((line) => line.startsWith("- **Floor:**"));
    expect(floor).toMatch(/in "steady": .* \*\*But\*\* the floor is one process serving every client of this phase/);
  });

  it("qualifies the warm verdict when a target failed or dropped more than 1% of its calls", () => {
    const results = structuredClone(buildFixtureResults());
    const docker = results.targets.find((target) => target.name === "docker");
    const steady = docker?.phases.find((phase) => phase.phase === "steady");
    if (steady === undefined) throw new Error("fixture has no docker steady phase");
    const okCalls = steady.recordedByOutcome.ok;
    steady.recordedByOutcome = { ...steady.recordedByOutcome, timeout: 100 };
    steady.recordedCalls = okCalls + 100;
    const markdown = renderMarkdown(resultsSchema.parse(results));
    const share = ((100 / (okCalls + 100)) * 100).toFixed(0);
    expect(markdown).toMatch(new RegExp(`\\*\\*Warm, all tools.*\\*\\*But\\*\\* ${share}% of docker's calls in this phase failed or were dropped`));
    expect(renderMarkdown(buildFixtureResults())).not.toMatch(/\*\*But\*\* [\d.]+% of/);
  });

  it("calls cold starts too close when the bootstrap interval of the median difference includes zero, not by a % rule", () => {
    const results = structuredClone(buildFixtureResults());
    const lambda = results.targets.find((target) => target.name === "lambda");
    const docker = results.targets.find((target) => target.name === "docker");
    if (lambda === undefined || docker === undefined) throw new Error("fixture lacks lambda or docker");
    // Overlapping samples 30% apart at the median: five samples cannot separate them.
    lambda.coldStarts = lambda.coldStarts.map((sample, index) => ({ ...sample, totalMs: [600, 700, 800, 900, 1500][index] ?? 800 }));
    docker.coldStarts = docker.coldStarts.map((sample, index) => ({ ...sample, totalMs: [450, 560, 650, 1000, 1100][index] ?? 650 }));
    const close = renderMarkdown(resultsSchema.parse(results));
    expect(close).toMatch(/docker and lambda \(emulator\) are too close to call: the 95% bootstrap interval of the median difference \(−[\d.]+ to \+[\d.]+ ms\) includes zero\./);
    expect(close).not.toMatch(/starts [\d.]+× faster than/);
    // Two samples each: no interval is computed, whatever the gap.
    lambda.coldStarts = lambda.coldStarts.slice(0, 2);
    expect(renderMarkdown(resultsSchema.parse(results))).toContain("lambda (emulator)'s median is lower than docker's, but 2 and 5 successful samples are too few to call (at least 5 each).");
    // Clearly apart (the fixture): the faster one is named, with its interval.
    expect(renderMarkdown(buildFixtureResults())).toMatch(/lambda \(emulator\) starts [\d.]+× faster than docker \(median difference [\d.]+ ms, 95% interval [\d.]+–[\d.]+ ms\)\./);
  });

  it("warns when a CPU quota throttled a target in more than 5% of its periods, and shows CPU use per phase", () => {
    const markdown = renderMarkdown(buildFixtureResults());
    expect(top(markdown)).toContain("The CPU quota stalled docker / steady (38% of periods) — over 5% of its 100 ms scheduling periods");
    expect(top(markdown)).not.toContain("docker / open-20rps (");
    expect(markdown).toContain("- docker / steady: the CPU quota throttled 38% of 120 scheduling periods (100 ms each; stalled 1,930 ms in all); 0.550 vCPU used on average, all instances together (each instance allowed 0.579).");
  });

  it("warns when the harness itself was busy during a load phase, and lists harness CPU per phase", () => {
    const quiet = renderMarkdown(buildFixtureResults());
    expect(top(quiet)).not.toContain("The harness itself was busy");
    expect(quiet).toMatch(/\*\*Harness CPU\*\* .*: docker \/ steady \d+%, docker \/ open-20rps \d+%/);
    const results = structuredClone(buildFixtureResults());
    const process = results.targets.find((target) => target.name === "process");
    const steady = process?.phases.find((phase) => phase.phase === "steady");
    if (steady === undefined) throw new Error("fixture has no process steady phase");
    steady.harnessCpuPercent = 97.4;
    expect(top(renderMarkdown(resultsSchema.parse(results)))).toContain("The harness itself was busy — over 85% of one core — during process / steady (97%)");
  });

  it("warns when Lambda cold starts cannot be verified as cold (no REPORT on the initialize invoke)", () => {
    const results = structuredClone(buildFixtureResults());
    const lambda = results.targets.find((target) => target.name === "lambda");
    for (const sample of lambda?.coldStarts.slice(0, 2) ?? []) delete sample.initReport;
    const warning = "2 lambda (emulator) cold-start samples could not be verified as cold";
    expect(top(renderMarkdown(resultsSchema.parse(results)))).toContain(warning);
    expect(renderMarkdown(buildFixtureResults())).not.toContain(warning);
  });

  it("flags an interrupted run at the top", () => {
    const markdown = renderMarkdown(buildFixtureResults({ interrupted: true }));
    expect(top(markdown)).toContain("**The run was interrupted** (Ctrl-C): every figure below is partial.");
    expectClean(markdown);
  });

  it("renders a failed target with its error and hint, and still reports the others", () => {
    const results = withFailedTarget(buildFixtureResults(), "lambda", "Lambda emulator could not start its runtime container: image not found", "Run `npm run bench -- --lambda-backend localstack` or install Docker");
    const markdown = renderMarkdown(results);
    expectClean(markdown);
    expect(top(markdown)).toContain("**lambda (emulator) failed**: Lambda emulator could not start its runtime container: image not found — fix: Run `npm run bench -- --lambda-backend localstack` or install Docker");
    expect(markdown).toContain("Not measured: lambda (emulator) (failed: Lambda emulator could not start its runtime container: image not found).");
    expect(markdown).toContain("**Warm, all tools** (phase \"steady\", closed c=4, all tools merged: a mix weighted by the workload (echo ×3, cpu ×1)): docker p50");
    expect(markdown).toContain("lambda (emulator) was not measured (failed: Lambda emulator could not start");
  });

  it("flags a run that did not finish at the top, before anything else", () => {
    const markdown = renderMarkdown(buildFixtureResults({ complete: false }));
    const warnings = top(markdown);
    expect(warnings).toContain("**The run did not finish**");
    expect(warnings.indexOf("did not finish")).toBeLessThan(warnings.indexOf("cold-start samples"));
    expect(renderMarkdown(buildFixtureResults())).not.toContain("did not finish");
  });

  it("words every typed warning, and a v1 warning text as it was", () => {
    const base = buildFixtureResults();
    const results: Results = resultsSchema.parse({
      ...base,
      warnings: [
        { code: "machine_busy", severity: "warning", data: { loadAverage: 3.5, cores: 2 } },
        { code: "few_cold_samples", severity: "warning", data: { samples: 1 } },
        { code: "legacy_text", severity: "warning", data: { message: "A warning from an old file." } },
      ],
    });
    const warnings = top(renderMarkdown(results));
    expect(warnings).toContain("1-minute load average 3.5 on 2 cores");
    expect(warnings).toContain("Only 1 cold-start sample per target");
    expect(warnings).toContain("A warning from an old file.");
  });

  it("flags a lower-fidelity backend once, at the top", () => {
    const base = buildFixtureResults();
    const results: Results = resultsSchema.parse({
      ...base,
      targets: base.targets.map((target) =>
        target.description?.kind === "lambda" ? { ...target, description: { ...target.description, backend: "emulator-process", fidelity: "lower" } } : target,
      ),
      warnings: [...base.warnings, { code: "lower_fidelity", severity: "warning", target: "lambda", data: { backend: "emulator-process" } }],
    });
    const markdown = renderMarkdown(results);
    expect(top(markdown)).toContain("lambda (emulator-process) ran on a **lower-fidelity** backend");
    expect(markdown.match(/lower-fidelity/g)).toHaveLength(1);
    expect(markdown).toContain("## Lambda — lambda (emulator-process)");
  });

  it("never prints NaN, Infinity or undefined, whatever is missing", () => {
    const base = buildFixtureResults();
    const variants: Results[] = [
      minimalResults(new Recorder(), []),
      minimalResults(new Recorder(), [
        { name: "docker", status: "ok", coldStarts: [], phases: [] },
        { name: "lambda", status: "skipped", coldStarts: [], phases: [] },
        { name: "process", status: "failed", error: "spawn ENOENT", coldStarts: [], phases: [] },
      ], { interrupted: true }),
      withFailedTarget(withFailedTarget(withFailedTarget(base, "docker", "x"), "lambda", "y"), "process", "z"),
      resultsSchema.parse({ ...base, series: base.series.filter((series) => series.outcome !== "ok") }),
      resultsSchema.parse({ ...base, targets: base.targets.map((target) => ({ ...target, coldStarts: target.coldStarts.map((sample) => ({ ...sample, outcome: "start_failed", error: "boom" })) })) }),
      resultsSchema.parse({ ...base, targets: base.targets.map((target) => ({ ...target, phases: target.phases.map((phase) => ({ ...phase, measuredMs: 0 })) })) }),
    ];
    for (const results of variants) expectClean(renderMarkdown(results));
  });

  it("orders cold-start phase columns by each target's own order", () => {
    expect(
      mergePhaseOrder([
        ["container_start", "process_ready", "ready_detection", "mcp_initialize", "first_call"],
        ["mcp_initialize", "initialized_notification", "first_call"],
        ["spawn", "process_ready", "mcp_initialize", "first_call"],
      ]),
    ).toEqual(["container_start", "spawn", "process_ready", "ready_detection", "mcp_initialize", "initialized_notification", "first_call"]);
  });
});
