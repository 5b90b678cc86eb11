/**
 * Testcontainers defaults for this project. Import this module before anything that starts a container
 * (`import "./testcontainers-env.js";` as the first import): ESM evaluates imports in order, and
 * Testcontainers reads these variables when it first starts a container.
 *
 * - TESTCONTAINERS_RYUK_DISABLED=true: Ryuk (the reaper) is an image pulled from Docker Hub, which is
 *   not reachable on air-gapped machines. We clean up ourselves: every container carries
 *   `mcp-deploy-bench.run=<runId>`, targets remove theirs on dispose, `bench clean` sweeps leftovers.
 * - TESTCONTAINERS_HOST_OVERRIDE=localhost: our containers use host networking and listen on
 *   127.0.0.1; Testcontainers must never resolve the host to a bridge gateway address (172.x).
 *
 * A value the user set wins: these are defaults only.
 */
const TESTCONTAINERS_DEFAULTS: Readonly<Record<string, string>> = {
  TESTCONTAINERS_RYUK_DISABLED: "true",
  TESTCONTAINERS_HOST_OVERRIDE: "localhost",
};

/** Sets the defaults that are not already set; returns the names it set. Idempotent. */
export function applyTestcontainersDefaults(env: NodeJS.ProcessEnv = process.env): string[] {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(TESTCONTAINERS_DEFAULTS)) {
    if (env[name] === undefined) {
      env[name] = value;
      applied.push(name);
    }
  }
  return applied;
}

applyTestcontainersDefaults();
