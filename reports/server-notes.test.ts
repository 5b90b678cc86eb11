import { describe, expect, it } from "vitest";
import { scenarioSchema } from "../core/scenario.js";
import type { ServerGenerations } from "../core/protocol.js";
import { serverGenerationsSentence, serverNotes } from "./server-notes.js";

const everything = { type: "stdio", package: { name: "@modelcontextprotocol/server-everything", version: "2026.8.31" } } as const;
const onlyHandshake: ServerGenerations = { server: "@modelcontextprotocol/server-everything@2026.8.31", spoken: ["2025-11-25"], initializeVersion: "2025-11-25", measured: ["2025-11-25"], source: "negotiated" };

function target(name: "docker" | "lambda" | "lambda-spawn") {
  return { name, status: "ok" as const, coldStarts: [], phases: [] };
}

describe("what a report says about a user's server", () => {
  it("says plainly that a server speaking one generation was benchmarked on that one", () => {
    expect(serverGenerationsSentence(onlyHandshake)).toBe("Server @modelcontextprotocol/server-everything@2026.8.31 speaks only 2025-11-25: benchmarked on that one.");
  });

  it("says why a generation the server speaks was not measured, and names an older initialize revision", () => {
    const both: ServerGenerations = { ...onlyHandshake, spoken: ["2025-11-25", "2026-07-28"], initializeVersion: "2025-06-18" };
    expect(serverGenerationsSentence(both)).toMatch(
      /^Server \S+ speaks 2025-11-25 and 2026-07-28 \(its initialize answered 2025-06-18, an older revision the 2025-11-25 client accepts\): benchmarked on 2025-11-25 only — 2026-07-28 is not measured because the stdio bridge/,
    );
    expect(serverGenerationsSentence({ ...onlyHandshake, source: "configured" })).toBe("Server @modelcontextprotocol/server-everything@2026.8.31 speaks 2025-11-25: benchmarked on 2025-11-25, as the scenario's protocol asks.");
  });

  it("names the adapter mode of each Lambda row, and says nothing for the fixture", () => {
    const scenario = scenarioSchema.parse({ server: everything });
    const notes = serverNotes({ scenario, serverGenerations: onlyHandshake, targets: [target("docker"), target("lambda"), target("lambda-spawn")] });
    expect(notes).toEqual([
      "Server @modelcontextprotocol/server-everything@2026.8.31 speaks only 2025-11-25: benchmarked on that one.",
      "On Lambda it runs behind a stdio adapter, each mode its own function and row: lambda = reuse (one server process per environment, started at init and kept); lambda-spawn = spawn-per-invoke (a fresh server process, initialized, per invoke).",
    ]);
    // Results written before generations were negotiated: the server is still named.
    expect(serverNotes({ scenario, serverGenerations: undefined, targets: [target("docker")] })).toEqual(["Server @modelcontextprotocol/server-everything@2026.8.31 (a stdio server)."]);
    expect(serverNotes({ scenario: scenarioSchema.parse({}), serverGenerations: undefined, targets: [target("lambda")] })).toEqual([]);
  });
});
