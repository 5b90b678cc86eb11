/** `--threshold`: the smallest relative change compare flags, as "5%" or "0.05". */
import { InvalidArgumentError } from "commander";

export function thresholdRatio(value: string): number {
  const text = value.trim();
  const parsed = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text.length === 0 || !Number.isFinite(parsed) || parsed < 0 || parsed > 10) {
    throw new InvalidArgumentError(`--threshold must be a relative change such as 5% or 0.05, from 0 to 1000% (got "${value}").`);
  }
  return parsed;
}
