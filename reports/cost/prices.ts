/**
 * The prices the cost model uses: dated configuration with its sources, never hidden in code paths.
 * DEFAULT_PRICES are AWS us-east-1 on-demand list prices (USD) as of `asOf`; a user overrides any of
 * them with a JSON file (`npm run report -- … --prices <file>`), validated here, unknown keys refused.
 */
import { z } from "zod";
import { HarnessError } from "../../core/errors.js";
import { formatIssues } from "../../core/zod-issues.js";

const usd = z.number().min(0);

export const pricesSchema = z
  .object({
    /** The date these prices were read (YYYY-MM-DD). */
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-11-28"),
    currency: z.literal("USD"),
    region: z.string().min(1),
    sources: z.array(z.string().min(1)).min(1),
    lambda: z
      .object({
        perMillionRequestsUsd: usd,
        perGbSecondX86Usd: usd,
        perGbSecondArm64Usd: usd,
      })
      .strict(),
    /** API Gateway HTTP API, first tier, per million requests (a Function URL costs nothing). */
    apiGatewayHttpPerMillionUsd: usd,
    fargate: z
      .object({
        perVcpuHourX86Usd: usd,
        perGbHourX86Usd: usd,
        perVcpuHourArm64Usd: usd,
        perGbHourArm64Usd: usd,
      })
      .strict(),
    alb: z.object({ perHourUsd: usd, perLcuHourUsd: usd }).strict(),
  })
  .strict();
export type Prices = z.infer<typeof pricesSchema>;

export const DEFAULT_PRICES: Prices = {
  asOf: "2026-11-28",
  currency: "USD",
  region: "us-east-1",
  sources: [
    "https://aws.amazon.com/lambda/pricing/",
    "https://aws.amazon.com/api-gateway/pricing/",
    "https://aws.amazon.com/fargate/pricing/",
    "https://aws.amazon.com/elasticloadbalancing/pricing/",
  ],
  lambda: { perMillionRequestsUsd: 0.2, perGbSecondX86Usd: 0.0000166667, perGbSecondArm64Usd: 0.0000133334 },
  apiGatewayHttpPerMillionUsd: 1.0,
  fargate: { perVcpuHourX86Usd: 0.04048, perGbHourX86Usd: 0.004445, perVcpuHourArm64Usd: 0.03238, perGbHourArm64Usd: 0.00356 },
  alb: { perHourUsd: 0.0225, perLcuHourUsd: 0.008 },
};

/**
 * DEFAULT_PRICES with a user's override (parsed JSON: any subset of the fields, nested objects merged)
 * applied; throws HarnessError PRICES_INVALID listing every bad field at once.
 */
export function resolvePrices(override: unknown, origin = "the prices file"): Prices {
  if (override === undefined) return DEFAULT_PRICES;
  if (typeof override !== "object" || override === null || Array.isArray(override)) {
    throw new HarnessError("PRICES_INVALID", `${origin} must hold a JSON object of prices.`, { hint: `Start from the defaults: ${JSON.stringify(DEFAULT_PRICES)}` });
  }
  const merged: Record<string, unknown> = { ...DEFAULT_PRICES };
  for (const [key, value] of Object.entries(override)) {
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  const parsed = pricesSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error.issues, "(prices)").join("; ");
    throw new HarnessError("PRICES_INVALID", `${origin} is not valid: ${issues}.`, {
      hint: "Give prices in USD as numbers ≥ 0 under the keys of the defaults (README \"Cost model\"), e.g. {\"asOf\": \"2026-11-28\", \"lambda\": {\"perGbSecondX86Usd\": 0.0000166667}}.",
    });
  }
  return parsed.data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
