/**
 * The scenario's `server` section: which MCP server the bench measures. The fixture (tools echo, cpu,
 * io, payload) is the default; a user brings their own as a stdio server, given either as an npm
 * package pinned to an exact version (installed once into a build cache) or as a command inside a
 * directory. The stdio server is bridged to Streamable HTTP for the docker and process targets and
 * adapted to one invoke per JSON-RPC message on Lambda, in the adapter modes listed (both by default, each
 * its own function and its own row, measured side by side):
 *
 * - `reuse` (row "lambda"): one child per execution environment, started during init and kept across invokes;
 * - `spawn-per-invoke` (row "lambda-spawn"): every invoke spawns the server, initializes it, forwards the
 *   message and kills it (what the common awslabs adapter does today).
 *
 * Two more kinds run without a bridge:
 * - `image`: a container image (a local tag) or a Dockerfile built offline, serving Streamable HTTP
 *   itself; docker target only (it has no Lambda or process form: bench/config/load.ts refuses other
 *   targets, and defaults `targets` to ["docker"]). The bench gives each container its port in an
 *   environment variable (`port: { env: "PORT" }`) or the image listens on a fixed one (`port: 8080`,
 *   then one container at a time); host networking, so the server must bind 127.0.0.1.
 * - `module`: a Node module exporting an MCP server factory (SDK 1.x `McpServer` or `Server`), served
 *   over Streamable HTTP by a small host in the container and the process target, and in-process on
 *   Lambda (the module imported during init, a server from the factory per invoke, as per request elsewhere).
 *
 * Plain data, validated up front: strict objects, every error with its path and a fix.
 */
import { z } from "zod";

export const STDIO_ADAPTER_MODES = ["spawn-per-invoke", "reuse"] as const;
export type StdioAdapterMode = (typeof STDIO_ADAPTER_MODES)[number];

const adapterModeSchema = z.enum(STDIO_ADAPTER_MODES, {
  error: (issue) => `unknown stdio adapter mode ${JSON.stringify(issue.input)}: use ${STDIO_ADAPTER_MODES.map((mode) => `"${mode}"`).join(" or ")} (or a list of both)`,
});

/**
 * `lambdaAdapter`: a list of modes, each measured as its own Lambda row; a single string (scenario and
 * results files written before modes were listed) reads as a list of one.
 */
const adapterModesSchema = z
  .preprocess(
    (value) => (typeof value === "string" ? [value] : value),
    z.array(adapterModeSchema).min(1, `must name at least one adapter mode (${STDIO_ADAPTER_MODES.join(", ")})`),
  )
  .refine((modes) => new Set(modes).size === modes.length, "must not list an adapter mode twice");

/** npm package names (scoped or not), as npm accepts them for new packages. */
const NPM_NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/** An exact semver version: a range would make the build cache (and the results) ambiguous. */
const EXACT_VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Adds an issue at `path` unless exactly one of two alternative fields is given. */
function exactlyOne(context: z.RefinementCtx, first: unknown, second: unknown, path: string, message: string): void {
  if ((first === undefined) === (second === undefined)) context.addIssue({ code: "custom", path: [path], message });
}

export const fixtureServerSchema = z.object({ type: z.literal("fixture") }).strict();

export const npmPackageSchema = z
  .object({
    name: z.string().regex(NPM_NAME_PATTERN, 'must be an npm package name such as "@modelcontextprotocol/server-everything"'),
    version: z.string().regex(EXACT_VERSION_PATTERN, 'must be an exact version such as "2026.8.31" (no ranges: the install is cached by version): `npm view <name> version` prints the latest'),
  })
  .strict();
export type NpmPackage = z.infer<typeof npmPackageSchema>;

export const stdioServerSchema = z
  .object({
    type: z.literal("stdio"),
    /** An npm package installed once from the registry into .cache/servers/<name>@<version>. */
    package: npmPackageSchema.optional(),
    /** A directory holding the server (its node_modules included), copied as is. Relative to the working directory. */
    directory: z.string().min(1).optional(),
    /**
     * The command, relative to the package or directory; "node" runs the target's own Node. Default for
     * a package: `node <its bin>`; a directory needs one.
     */
    command: z.array(z.string().min(1)).min(1).max(64).optional(),
    /** Extra arguments after the command (e.g. ["stdio"], a root directory). */
    args: z.array(z.string()).max(64).default([]),
    /** Environment variables the server gets (no secrets: they end up in the image, the zip and the results). */
    env: z.record(z.string().regex(ENV_NAME_PATTERN, "must be an environment variable name"), z.string()).default({}),
    /** How the Lambda handler runs the stdio server, one row per mode (see the module comment). Default: both. */
    lambdaAdapter: adapterModesSchema.default([...STDIO_ADAPTER_MODES]),
  })
  .strict()
  .superRefine((server, context) => {
    exactlyOne(context, server.package, server.directory, "package", 'give exactly one of package ({ "name": "...", "version": "1.2.3" }) or directory (a folder holding the server)');
    if (server.directory !== undefined && server.command === undefined) {
      context.addIssue({ code: "custom", path: ["command"], message: 'a directory server needs its command, e.g. ["node", "dist/index.js"]' });
    }
  });
export type StdioServerConfig = z.infer<typeof stdioServerSchema>;

const envSchema = z.record(z.string().regex(ENV_NAME_PATTERN, "must be an environment variable name"), z.string()).default({});

/** A JavaScript identifier: the name a module exports its factory under. */
const EXPORT_NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A local image reference: repository[:tag] or an image id; no registry pulls happen here. */
const IMAGE_REFERENCE_PATTERN = /^[a-z0-9][a-z0-9._\/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$|^sha256:[0-9a-f]{64}$/;

export const imageServerSchema = z
  .object({
    type: z.literal("image"),
    /** A local image (e.g. "local/my-server:1"): must exist already (`docker images`); the bench never pulls. */
    image: z.string().regex(IMAGE_REFERENCE_PATTERN, 'must be a local image reference such as "local/my-server:1"').optional(),
    /** A Dockerfile built offline by the bench (`docker build`), its FROM a local image. Paths relative to the working directory. */
    dockerfile: z.object({ path: z.string().min(1), context: z.string().min(1).default(".") }).strict().optional(),
    /**
     * Where the server listens: `{ "env": "PORT" }` (the bench picks a free port per container and passes
     * it in that variable: several containers can run side by side), or a fixed port the image always
     * listens on (one container at a time).
     */
    port: z.union([
      z.number().int().min(1).max(65_535),
      z.object({ env: z.string().regex(ENV_NAME_PATTERN, "must be an environment variable name") }).strict(),
    ], { error: 'must be { "env": "PORT" } (the bench passes each container its port in that variable) or the fixed port the image listens on, e.g. 8080' }),
    /** The Streamable HTTP endpoint's path. */
    path: z.string().regex(/^\/[^\s?#]*$/, 'must be a URL path such as "/mcp"').default("/mcp"),
    /** When a container is ready: a line its log prints (plain text, matched anywhere in a line), or an HTTP GET answering 2xx. */
    readiness: z.union([
      z.object({ logLine: z.string().min(1) }).strict(),
      z.object({ httpProbe: z.string().regex(/^\/\S*$/, 'must be a URL path such as "/health"') }).strict(),
    ], { error: 'must be { "logLine": "text the server prints when ready" } or { "httpProbe": "/health" }' }),
    /** Environment variables the container gets (no secrets: they end up in the results). */
    env: envSchema,
    /** Replaces the image's CMD. */
    command: z.array(z.string().min(1)).min(1).max(64).optional(),
  })
  .strict()
  .superRefine((server, context) => {
    exactlyOne(context, server.image, server.dockerfile, "image", 'give exactly one of image (a local tag such as "local/my-server:1") or dockerfile ({ "path": "Dockerfile", "context": "." })');
  });
export type ImageServerConfig = z.infer<typeof imageServerSchema>;

export const moduleServerSchema = z
  .object({
    type: z.literal("module"),
    /** The folder holding the module and its node_modules, copied as is. Relative to the working directory. */
    directory: z.string().min(1),
    /** The module file, relative to `directory` (ESM, or CommonJS Node can import). */
    module: z.string().min(1).refine((path) => !path.startsWith("/") && !path.split(/[\\/]/).includes(".."), "must be a path inside directory, such as \"dist/server.js\""),
    /** The export holding the factory: a function (maybe async) returning an SDK 1.x McpServer or Server. */
    export: z.string().regex(EXPORT_NAME_PATTERN, 'must be the name the module exports its factory under, a JavaScript identifier such as "createServer" (or "default")').default("createServer"),
    /** Environment variables set before the module is imported (no secrets: they end up in the image, the zip and the results). */
    env: envSchema,
  })
  .strict();
export type ModuleServerConfig = z.infer<typeof moduleServerSchema>;

export const serverConfigSchema = z.discriminatedUnion("type", [fixtureServerSchema, stdioServerSchema, imageServerSchema, moduleServerSchema]);
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** The default: the bench's own fixture server. */
export const FIXTURE_SERVER: ServerConfig = { type: "fixture" };

/** "name@version" of a package server, the directory, the image or Dockerfile: how reports and logs name the server. */
export function serverLabel(server: ServerConfig): string {
  if (server.type === "fixture") return "fixture";
  if (server.type === "image") return server.image ?? server.dockerfile?.path ?? "image";
  if (server.type === "module") return `${server.directory}/${server.module}#${server.export}`;
  if (server.package !== undefined) return `${server.package.name}@${server.package.version}`;
  return server.directory ?? "stdio";
}
