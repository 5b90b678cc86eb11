/** zod issues as lines a person can act on: the path, then what is wrong with it. */
import type { z } from "zod";

/** One line per issue: `phases.0.concurrency: Too small: expected number to be >=1`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], rootName = "(scenario)"): string[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? rootName : issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((key) => `"${key}"`).join(", ");
      return `${path}: unknown key ${keys} (check the spelling; see --help for the fields)`;
    }
    if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return `${path}: is required`;
    return `${path}: ${issue.message}`;
  });
}
