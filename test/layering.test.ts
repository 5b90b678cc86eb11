/**
 * The layers of the project (core ← fixtures ← targets ← bench, and core ← reports ← bench): no
 * import runs up a layer and no import cycle exists, type-only imports included. Test files are exempt.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  findCycles,
  type ImportEdge,
  type LayerRules,
  type LayerViolation,
  layerViolations,
  readImportGraph,
} from "./helpers/import-graph.js";

/** Which top-level folders each layer may import besides its own. */
const projectLayerRules: LayerRules = new Map<string, ReadonlySet<string>>([
  ["core", new Set<string>()],
  ["fixtures", new Set(["core"])],
  ["targets", new Set(["fixtures", "core"])],
  ["reports", new Set(["core"])],
  ["bench", new Set(["targets", "fixtures", "reports", "core"])],
]);

const layeredFolders: readonly string[] = [...projectLayerRules.keys()];

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));

function formatViolations(violations: readonly LayerViolation[]): string {
  return violations.map((v) => `${v.from} → ${v.to} (${v.fromLayer} may not import ${v.toLayer})`).join("\n");
}

/** Each cycle's files, then the imports among them, so the edge to cut is visible. */
function formatCycles(graph: ReadonlyMap<string, readonly ImportEdge[]>, cycles: readonly (readonly string[])[]): string {
  return cycles
    .map((cycle, cycleIndex) => {
      const members = new Set(cycle);
      const edges = cycle.flatMap((file) =>
        (graph.get(file) ?? []).filter((edge) => members.has(edge.to)).map((edge) => `    ${edge.from} → ${edge.to}`),
      );
      return [`cycle ${cycleIndex + 1}: ${cycle.join(" ↔ ")}`, ...edges].join("\n");
    })
    .join("\n");
}

function writeTree(rootDir: string, files: Readonly<Record<string, string>>): void {
  for (const [projectPath, text] of Object.entries(files)) {
    const filePath = join(rootDir, projectPath);
    mkdirSync(dirname(filePath), { recursive: true });
    writeFileSync(filePath, text);
  }
}

describe("layering of the real tree", () => {
  it("no import runs up a layer", () => {
    const graph = readImportGraph(repositoryRoot, layeredFolders);
    const violations = layerViolations(graph, projectLayerRules);
    expect(violations, `imports that run up a layer:\n${formatViolations(violations)}`).toEqual([]);
  });

  it("no import cycles, type-only ones included", () => {
    const graph = readImportGraph(repositoryRoot, layeredFolders);
    const cycles = findCycles(graph);
    expect(cycles, `import cycles:\n${formatCycles(graph, cycles)}`).toEqual([]);
  });
});

describe("layering checks on a synthetic tree", () => {
  const temporaryDirectories: string[] = [];
  const makeTree = (files: Readonly<Record<string, string>>): string => {
    const rootDir = mkdtempSync(join(tmpdir(), "mcp-deploy-bench-layering-"));
    temporaryDirectories.push(rootDir);
    writeTree(rootDir, files);
    return rootDir;
  };
  afterEach(() => {
    for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it("a deliberately added upward import is caught", () => {
    const rootDir = makeTree({
      "core/a.ts": `import { b } from "../bench/b.js";\nexport const a = (): number => b + 1;\n`,
      "bench/b.ts": `import { a } from "../core/a.js";\nexport const b = 1;\nexport const viaA = a;\n`,
      "bench/lazy.ts": `export const lazy = () => import("../reports/r.js");\n`,
      "reports/r.ts": `import type { X } from "../targets/t.js";\nexport const r: X | undefined = undefined;\n`,
      "targets/t.ts": `export type X = string;\nexport { a as reexported } from "../core/a.js";\n`,
      "targets/util/index.ts": `export const u = 0;\n`,
      "targets/uses-index.ts": `import { u } from "./util/index.js";\nexport { u as alsoU } from "./util";\n`,
      "targets/uses-package.ts": `import { z } from "zod";\nimport { readFileSync } from "node:fs";\nexport { z, readFileSync };\n`,
      "reports/__golden__/ignored.ts": `import { b } from "../../bench/b.js";\n`,
      "bench/node_modules/pkg/index.ts": `import { a } from "../../../core/a.js";\n`,
    });
    const graph = readImportGraph(rootDir, ["core", "bench", "reports", "targets"]);

    expect([...graph.keys()]).toEqual([
      "bench/b.ts",
      "bench/lazy.ts",
      "core/a.ts",
      "reports/r.ts",
      "targets/t.ts",
      "targets/uses-index.ts",
      "targets/uses-package.ts",
      "targets/util/index.ts",
    ]);
    const targetsOf = (file: string): string[] => (graph.get(file) ?? []).map((edge) => edge.to);
    // A type-only import, an `export ... from` re-export and a dynamic import are all edges.
    expect(targetsOf("reports/r.ts")).toEqual(["targets/t.ts"]);
    expect(targetsOf("targets/t.ts")).toEqual(["core/a.ts"]);
    expect(targetsOf("bench/lazy.ts")).toEqual(["reports/r.ts"]);
    // `./util/index.js` and `./util` are one file; package and `node:` imports are not edges.
    expect(targetsOf("targets/uses-index.ts")).toEqual(["targets/util/index.ts"]);
    expect(targetsOf("targets/uses-package.ts")).toEqual([]);

    expect(layerViolations(graph, projectLayerRules)).toEqual([
      { from: "core/a.ts", to: "bench/b.ts", fromLayer: "core", toLayer: "bench" },
      { from: "reports/r.ts", to: "targets/t.ts", fromLayer: "reports", toLayer: "targets" },
    ]);
    expect(findCycles(graph)).toEqual([["bench/b.ts", "core/a.ts"]]);
  });

  it("finds a self-import and a longer cycle, type-only imports included", () => {
    const rootDir = makeTree({
      "core/self.ts": `export type { S } from "./self.js";\nexport type S = number;\n`,
      "core/one.ts": `import type { Three } from "./three.js";\nexport type One = Three;\n`,
      "core/two.ts": `import type { One } from "./one.js";\nexport type Two = One;\n`,
      "core/three.ts": `import type { Two } from "./two.js";\nexport type Three = Two | 3;\n`,
      "core/leaf.ts": `import type { One } from "./one.js";\nexport type Leaf = One;\n`,
    });
    const graph = readImportGraph(rootDir, ["core"]);
    expect(findCycles(graph)).toEqual([["core/one.ts", "core/three.ts", "core/two.ts"], ["core/self.ts"]]);
  });

  it("exempts test files from the layer and cycle rules", () => {
    const rootDir = makeTree({
      "core/x.test.ts": `import { b } from "../bench/b.js";\nexport type X = number;\nexport const x = b;\n`,
      "bench/b.ts": `import type { X } from "../core/x.test.js";\nexport const b: X = 1;\n`,
      "test/helper.ts": `import { b } from "../bench/b.js";\nimport { x } from "../core/x.test.js";\nexport const h = b + x;\n`,
    });
    const graph = readImportGraph(rootDir, ["core", "bench", "test"]);
    expect(graph.get("core/x.test.ts")).toEqual([
      { from: "core/x.test.ts", to: "bench/b.ts", specifier: "../bench/b.js", fromTest: true },
    ]);
    expect(graph.get("test/helper.ts")?.every((edge) => edge.fromTest)).toBe(true);
    expect(graph.get("bench/b.ts")?.map((edge) => edge.fromTest)).toEqual([false]);
    expect(layerViolations(graph, projectLayerRules)).toEqual([]);
    // bench/b.ts ↔ core/x.test.ts would be a cycle, but one of its files is a test.
    expect(findCycles(graph)).toEqual([]);
  });

  it("throws on a folder that does not exist", () => {
    const rootDir = makeTree({ "core/a.ts": "export const a = 1;\n" });
    expect(() => readImportGraph(rootDir, ["core", "cor"])).toThrow(/is not a directory/);
  });
});
