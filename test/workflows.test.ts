/**
 * The GitHub Actions workflows: both pass a real workflow validator (action-validator, its schema of
 * GitHub's workflow syntax, run from npm as WebAssembly, offline), and the nightly only strings npm
 * scripts together — every `run:` step calls one that exists — with least permissions and a
 * concurrency group.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "./helpers/cli.js";

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/nightly.yml"];

function read(path: string): string {
  return readFileSync(join(PROJECT_ROOT, path), "utf8");
}

interface Step {
  readonly run?: string;
  readonly uses?: string;
}
interface Workflow {
  readonly permissions?: unknown;
  readonly concurrency?: unknown;
  readonly on?: Record<string, unknown>;
  readonly jobs: Record<string, { readonly steps?: readonly Step[]; readonly permissions?: Record<string, string> }>;
}

const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);

describe("workflows", () => {
  it.each(WORKFLOWS)("%s passes the workflow validator", (path) => {
    const state = validateWorkflow(read(path));
    expect(state.errors, JSON.stringify(state.errors, null, 2)).toEqual([]);
  });

  it("the validator does catch a broken workflow (it is not a no-op)", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    runz-on: ubuntu-latest\n").errors.length).toBeGreaterThan(0);
  });

  it("every run: step of nightly.yml calls an npm script that exists (or npm ci)", () => {
    const workflow = parse(read(".github/workflows/nightly.yml")) as Workflow;
    const runs = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run])));
    expect(runs.length).toBeGreaterThan(3);
    for (const run of runs) {
      const called = [...run.matchAll(/\bnpm run ([\w:.-]+)/g)].map((match) => match[1]);
      expect(called.length > 0 || /^npm ci$/.test(run.trim()), `not an npm script: ${run}`).toBe(true);
      for (const name of called) expect(scripts, `npm run ${name ?? ""} in nightly.yml`).toContain(name);
    }
  });

  it("nightly.yml runs on a schedule and by hand, in one concurrency group, with no default permissions", () => {
    const workflow = parse(read(".github/workflows/nightly.yml")) as Workflow;
    expect(Object.keys(workflow.on ?? {}).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.concurrency).toMatchObject({ group: "nightly" });
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.deploy?.permissions).toEqual({ pages: "write", "id-token": "write" });
    const uses = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).flatMap((step) => (step.uses === undefined ? [] : [step.uses.split("@")[0]])));
    expect(uses).toEqual(expect.arrayContaining(["aws-actions/configure-aws-credentials", "actions/upload-pages-artifact", "actions/deploy-pages"]));
  });

  it("ci.yml runs npm ci and npm test on Node 22 and 24", () => {
    const text = read(".github/workflows/ci.yml");
    expect(text).toMatch(/node: \[22, 24\]/);
    expect(text).toContain("run: npm ci");
    expect(text).toContain("run: npm test");
  });
});
