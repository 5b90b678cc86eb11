import { describe, expect, it } from "vitest";
import { toolCallSchema } from "./scenario.js";

describe("a workload may name the fixture's fault tool", () => {
  it("accepts each fault kind with its bounds", () => {
    for (const args of [{ kind: "exit" }, { kind: "hang", hangMs: 5_000 }, { kind: "oom", allocateMb: 512 }, { kind: "mcp-error" }]) {
      expect(toolCallSchema.safeParse({ tool: "fault", arguments: args }).success, JSON.stringify(args)).toBe(true);
    }
  });

  it("refuses an oom without allocateMb, an unknown kind and unknown keys, naming the field", () => {
    const oom = toolCallSchema.safeParse({ tool: "fault", arguments: { kind: "oom" } });
    expect(oom.success).toBe(false);
    expect(oom.error?.issues[0]).toMatchObject({ path: ["arguments", "allocateMb"], message: expect.stringMatching(/needs allocateMb/) });
    expect(toolCallSchema.safeParse({ tool: "fault", arguments: { kind: "segfault" } }).success).toBe(false);
    expect(toolCallSchema.safeParse({ tool: "fault", arguments: { kind: "exit", after: 3 } }).success).toBe(false);
  });
});
