/** Flag parsers shared by the CLIs: a bad value is a commander InvalidArgumentError naming the flag and the range (exit 2). */
import { InvalidArgumentError } from "commander";

export function positiveInteger(flag: string, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new InvalidArgumentError(`${flag} must be a whole number from 1 to ${max} (got "${value}").`);
    return parsed;
  };
}

/** `--threshold`: the smallest relative change compare flags, as "5%" or "0.05". */
export function thresholdRatio(value: string): number {
  const text = value.trim();
  const parsed = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text.length === 0 || !Number.isFinite(parsed) || parsed < 0 || parsed > 10) {
    throw new InvalidArgumentError(`--threshold must be a relative change such as 5% or 0.05, from 0 to 1000% (got "${value}").`);
  }
  return parsed;
}
