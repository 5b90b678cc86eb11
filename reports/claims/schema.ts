/**
 * Published claims as data: where a claim comes from, its wording, and the test this run applies to it.
 * More claims need no code: add an entry to reports/claims/claims.json with one of these tests.
 */
import { z } from "zod";
import { HarnessError } from "../../core/errors.js";
import { formatIssues } from "../../core/zod-issues.js";

const targetName = z.string().min(1);
const usd = z.number().min(0);

export const claimTestSchema = z.discriminatedUnion("kind", [
  /** Warm p95 of a target's successful calls (the headline phase, every tool merged) below a threshold. */
  z.object({ kind: z.literal("warm-p95-below"), target: targetName, thresholdMs: z.number().gt(0) }).strict(),
  /** A target's cold-start median (creation → first tool call) inside [minMs, maxMs]. */
  z.object({ kind: z.literal("cold-start-between"), target: targetName, minMs: z.number().min(0), maxMs: z.number().gt(0) }).strict(),
  /** A target's cold-start median at least `minRatio` times another's. */
  z.object({ kind: z.literal("cold-start-ratio-at-least"), slower: targetName, faster: targetName, minRatio: z.number().gt(0) }).strict(),
  /** The cost model's monthly cost of a deployment at a volume and traffic shape inside [minUsd, maxUsd]. */
  z
    .object({
      kind: z.literal("monthly-cost-between"),
      deployment: z.enum(["lambda", "container"]),
      shape: z.enum(["steady", "sporadic"]),
      callsPerMonth: z.number().gt(0),
      minUsd: usd.default(0),
      maxUsd: usd,
    })
    .strict(),
  /** Lambda's saving over the container service (1 − Lambda / container) at a volume and shape of at least `minShare`. */
  z.object({ kind: z.literal("lambda-saving-at-least"), shape: z.enum(["steady", "sporadic"]), callsPerMonth: z.number().gt(0), minShare: z.number().gt(0).max(1) }).strict(),
]);
export type ClaimTest = z.infer<typeof claimTestSchema>;

export const claimSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes"),
    /** Who published it, with a link or reference. */
    source: z.string().min(1),
    /** The claim in its own words (or a faithful paraphrase). */
    wording: z.string().min(1),
    test: claimTestSchema,
  })
  .strict();
export type Claim = z.infer<typeof claimSchema>;

export const claimsFileSchema = z.object({ claims: z.array(claimSchema).min(1) }).strict();

/** Validates parsed JSON as a claims file; throws HarnessError CLAIMS_INVALID naming every bad field. */
export function parseClaims(data: unknown, origin: string): Claim[] {
  const parsed = claimsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new HarnessError("CLAIMS_INVALID", `${origin} is not a valid claims file: ${formatIssues(parsed.error.issues, "(claims)").join("; ")}.`, {
      hint: "Each claim needs id, source, wording and a test of a known kind (see reports/claims/schema.ts and the shipped reports/claims/claims.json).",
    });
  }
  return parsed.data.claims;
}
