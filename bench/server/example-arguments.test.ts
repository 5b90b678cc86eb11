import { describe, expect, it } from "vitest";
import { exampleArguments, exampleValue } from "./example-arguments.js";

describe("example arguments from an input schema", () => {
  it("fills required fields only, with defaults, enums and bounded numbers", () => {
    const schema = {
      type: "object",
      properties: {
        message: { type: "string" },
        mode: { type: "string", enum: ["fast", "slow"] },
        count: { type: "integer", minimum: 3, maximum: 10 },
        ratio: { type: "number", exclusiveMinimum: 0 },
        flag: { type: "boolean", default: true },
        optional: { type: "string" },
      },
      required: ["message", "mode", "count", "ratio", "flag"],
    };
    expect(exampleArguments(schema)).toEqual({ message: "example", mode: "fast", count: 3, ratio: 0.5, flag: true });
  });

  it("builds nested objects and arrays of minItems, and respects string bounds and formats", () => {
    expect(exampleValue({ type: "object", properties: { inner: { type: "object", properties: { id: { type: "string", format: "uuid" } }, required: ["id"] } }, required: ["inner"] })).toEqual({
      inner: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(exampleValue({ type: "array", items: { type: "integer" }, minItems: 2 })).toEqual([1, 1]);
    expect(exampleValue({ type: "string", minLength: 10 })).toHaveLength(10);
    expect(exampleValue({ type: "string", maxLength: 3 })).toBe("exa");
    expect(exampleValue({ anyOf: [{ type: "null" }, { type: "number", maximum: -5 }] })).toBe(-5);
  });

  it("stops at a bounded depth on a self-similar schema", () => {
    const deep: Record<string, unknown> = { type: "object", required: ["next"], properties: {} };
    (deep.properties as Record<string, unknown>).next = deep;
    expect(JSON.stringify(exampleArguments(deep)).length).toBeLessThan(200);
  });
});
