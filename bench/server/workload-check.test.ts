import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { scenarioSchema } from "../../core/scenario.js";
import { assertWorkloadFits, workloadProblems } from "./workload-check.js";
import { validateScenario } from "../config/load.js";

const tools: Tool[] = [
  { name: "echo", inputSchema: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { message: { type: "string" } }, required: ["message"] } },
  { name: "get-sum", inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] } },
];

describe("the workload is checked against the server's tools", () => {
  it("accepts calls that name listed tools with arguments their schemas accept", () => {
    expect(workloadProblems(tools, [{ path: "workload[0]", call: { tool: "get-sum", arguments: { a: 1, b: 2 }, weight: 1 } }])).toEqual([]);
  });

  it("refuses an unknown tool, listing the server's tools", () => {
    const [problem] = workloadProblems(tools, [{ path: "workload[0]", call: { tool: "ecko", arguments: {}, weight: 1 } }]);
    expect(problem).toMatchObject({ path: "workload[0]", tool: "ecko", message: expect.stringMatching(/no tool "ecko"; its tools are "echo", "get-sum"/) });
  });

  it("refuses a bad argument type and a missing required field, naming the field and the schema's words", () => {
    const problems = workloadProblems(tools, [{ path: "workload[1]", call: { tool: "get-sum", arguments: { a: "one" }, weight: 1 } }]);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^arguments\.b: must have required property 'b' \(schema #\/required/),
      expect.stringMatching(/^arguments\.a: must be number \(schema #\/properties\/a\/type: \{"type":"number"\}\)/),
    ]);
  });

  it("checks the cold-start call too and throws WORKLOAD_INVALID (exit 2) with every problem", () => {
    const scenario = scenarioSchema.parse({ server: { type: "stdio", package: { name: "pkg", version: "1.0.0" } }, workload: [{ tool: "echo", arguments: { message: "hi" } }] });
    // The default cold call is the fixture's echo { text }: the user's echo wants { message }.
    expect(() => assertWorkloadFits("pkg@1.0.0", tools, scenario)).toThrow(expect.objectContaining({ code: "WORKLOAD_INVALID", message: expect.stringMatching(/cold\.call \(tool "echo"\): arguments\.message: must have required property 'message'/) }));
  });
});

describe("the scenario's workload by server", () => {
  it("the fixture's workload is still checked against the fixture's tools; a user's server takes any tool name", () => {
    expect(() => validateScenario({ workload: [{ tool: "get-sum", arguments: { a: 1 } }] }, "test")).toThrow(/workload\.0\.tool/);
    expect(() => validateScenario({ workload: [{ tool: "echo", arguments: { txt: "x" } }] }, "test")).toThrow(/workload\.0\.arguments: unknown key "txt"/);
    const own = validateScenario({ server: { type: "stdio", package: { name: "pkg", version: "1.0.0" } }, workload: [{ tool: "get-sum", arguments: { a: 1 } }] }, "test");
    expect(own.workload).toEqual([{ tool: "get-sum", arguments: { a: 1 }, weight: 1 }]);
  });
});
