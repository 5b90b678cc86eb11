/**
 * The project's own import graph, read with the TypeScript compiler's pre-processor, and the two
 * checks run on it: imports that run up a layer, and import cycles. Test files are exempt from both
 * (tests legitimately reach across layers).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import ts from "typescript";

/** One relative import of one project file; paths are project-relative with forward slashes. */
export interface ImportEdge {
  /** The importing file, e.g. `bench/cli.ts`. */
  readonly from: string;
  /** The imported file, e.g. `core/results.ts`; when the specifier resolves to no file, its lexical path with `.js` read as `.ts`. */
  readonly to: string;
  /** The specifier as written, e.g. `../core/results.js`. */
  readonly specifier: string;
  /** Whether the importing file is a test file (`*.test.ts`, or anything under `test/`), exempt from the layer and cycle rules. */
  readonly fromTest: boolean;
}

/** For each top-level folder with rules, the other top-level folders its files may import (its own is always allowed). */
export type LayerRules = ReadonlyMap<string, ReadonlySet<string>>;

/** An import that runs to a folder its layer may not import. */
export interface LayerViolation {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}

/** Directories never walked: dependencies, caches, benchmark output and golden files. */
const skippedDirectoryNames: ReadonlySet<string> = new Set(["node_modules", ".cache", "results", "__golden__"]);

/** Whether a project-relative path is a test file: `*.test.ts`, or anything under the top-level `test/`. */
export function isTestFile(projectPath: string): boolean {
  return projectPath.endsWith(".test.ts") || projectPath.startsWith("test/");
}

/**
 * The top-level folder a project-relative path lies in: `core` for `core/results.ts`, `.` for a file
 * at the repository root, `..` for a path outside the repository.
 */
export function layerOf(projectPath: string): string {
  if (projectPath === ".." || projectPath.startsWith("../")) return "..";
  const slashIndex = projectPath.indexOf("/");
  return slashIndex === -1 ? "." : projectPath.slice(0, slashIndex);
}

/**
 * Reads every `*.ts` file under the given top-level folders of `rootDir` (skipping `node_modules`,
 * `.cache`, `results` and `__golden__`) and returns, for each file (project-relative, forward
 * slashes, sorted), its relative imports: static imports, `import type`, `export ... from` and
 * dynamic `import("...")`. A specifier `./x.js` resolves to `x.ts`, else `x/index.ts`; package
 * imports are left out. Throws when a folder does not exist, so a misspelt folder is not silently
 * an empty layer.
 */
export function readImportGraph(rootDir: string, folders: readonly string[]): Map<string, ImportEdge[]> {
  const files: string[] = [];
  for (const folder of folders) {
    const folderPath = join(rootDir, folder);
    if (!existsSync(folderPath) || !statSync(folderPath).isDirectory()) {
      throw new Error(`readImportGraph: ${folderPath} is not a directory`);
    }
    collectTypeScriptFiles(folderPath, files);
  }
  const projectPaths = files.map((file) => toProjectPath(rootDir, file)).sort();

  const graph = new Map<string, ImportEdge[]>();
  for (const from of projectPaths) {
    const text = readFileSync(join(rootDir, from), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const fromTest = isTestFile(from);
    const seenTargets = new Set<string>();
    const edges: ImportEdge[] = [];
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
      const to = resolveRelativeImport(rootDir, from, specifier);
      if (seenTargets.has(to)) continue;
      seenTargets.add(to);
      edges.push({ from, to, specifier, fromTest });
    }
    graph.set(from, edges);
  }
  return graph;
}

/**
 * Every edge from a file in a ruled folder to a top-level folder that folder may not import; edges
 * from test files and from files outside every ruled folder are not checked. Sorted by `from`, then `to`.
 */
export function layerViolations(graph: ReadonlyMap<string, readonly ImportEdge[]>, rules: LayerRules): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const edges of graph.values()) {
    for (const edge of edges) {
      if (edge.fromTest) continue;
      const fromLayer = layerOf(edge.from);
      const allowedLayers = rules.get(fromLayer);
      if (allowedLayers === undefined) continue;
      const toLayer = layerOf(edge.to);
      if (toLayer === fromLayer || allowedLayers.has(toLayer)) continue;
      violations.push({ from: edge.from, to: edge.to, fromLayer, toLayer });
    }
  }
  return violations.sort((left, right) => compareStrings(left.from, right.from) || compareStrings(left.to, right.to));
}

/**
 * Every import cycle among non-test files, type-only imports included: each strongly connected
 * component of more than one file (Tarjan's algorithm), and each file that imports itself. A cycle
 * is given as its files, sorted; the cycles are sorted by their first file.
 */
export function findCycles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  const successors = new Map<string, string[]>();
  for (const [file, edges] of graph) {
    if (isTestFile(file)) continue;
    const targets = edges
      .filter((edge) => !edge.fromTest && graph.has(edge.to) && !isTestFile(edge.to))
      .map((edge) => edge.to);
    successors.set(file, [...new Set(targets)].sort());
  }

  const indexOf = new Map<string, number>();
  const lowLinkOf = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let nextIndex = 0;

  const visit = (file: string): void => {
    indexOf.set(file, nextIndex);
    lowLinkOf.set(file, nextIndex);
    nextIndex += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of successors.get(file) ?? []) {
      const targetIndex = indexOf.get(target);
      if (targetIndex === undefined) {
        visit(target);
        lowLinkOf.set(file, Math.min(lowLinkOf.get(file) ?? 0, lowLinkOf.get(target) ?? 0));
      } else if (onStack.has(target)) {
        lowLinkOf.set(file, Math.min(lowLinkOf.get(file) ?? 0, targetIndex));
      }
    }
    if (lowLinkOf.get(file) !== indexOf.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    const importsItself = (successors.get(file) ?? []).includes(file);
    if (component.length > 1 || importsItself) cycles.push(component.sort());
  };

  for (const file of [...successors.keys()].sort()) {
    if (!indexOf.has(file)) visit(file);
  }
  return cycles.sort((left, right) => compareStrings(left[0] ?? "", right[0] ?? ""));
}

function collectTypeScriptFiles(directory: string, files: string[]): void {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const entryPath = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirectoryNames.has(entry.name)) collectTypeScriptFiles(entryPath, files);
    } else if (entry.isFile() && entry.name.endsWith(".ts")) {
      files.push(entryPath);
    }
  }
}

/** `./x.js` → `x.ts`, else `x/index.ts`; other extensions as written; unresolved, the lexical path with `.js` read as `.ts`. */
function resolveRelativeImport(rootDir: string, fromProjectPath: string, specifier: string): string {
  const lexicalPath = join(rootDir, dirname(fromProjectPath), specifier);
  const withoutJs = lexicalPath.replace(/\.js$/, "");
  const candidates = [`${withoutJs}.ts`, join(withoutJs, "index.ts"), lexicalPath];
  const resolvedPath = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return toProjectPath(rootDir, resolvedPath ?? (lexicalPath.endsWith(".js") ? `${withoutJs}.ts` : lexicalPath));
}

function toProjectPath(rootDir: string, absolutePath: string): string {
  return relative(rootDir, absolutePath).split(sep).join("/");
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
