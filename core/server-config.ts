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
    if ((server.package === undefined) === (server.directory === undefined)) {
      context.addIssue({
        code: "custom",
        path: ["package"],
        message: 'give exactly one of package ({ "name": "...", "version": "1.2.3" }) or directory (a folder holding the server)',
      });
    }
    if (server.directory !== undefined && server.command === undefined) {
      context.addIssue({ code: "custom", path: ["command"], message: 'a directory server needs its command, e.g. ["node", "dist/index.js"]' });
    }
  });
export type StdioServerConfig = z.infer<typeof stdioServerSchema>;

export const serverConfigSchema = z.discriminatedUnion("type", [fixtureServerSchema, stdioServerSchema]);
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** The default: the bench's own fixture server. */
export const FIXTURE_SERVER: ServerConfig = { type: "fixture" };

/** "name@version" of a package server, or the directory: how reports and logs name the server. */
export function serverLabel(server: ServerConfig): string {
  if (server.type === "fixture") return "fixture";
  if (server.package !== undefined) return `${server.package.name}@${server.package.version}`;
  return server.directory ?? "stdio";
}
