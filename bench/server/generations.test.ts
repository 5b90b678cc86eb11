import { describe, expect, it } from "vitest";
import { HarnessError } from "../../core/errors.js";
import { serverGenerationsSchema } from "../../core/protocol.js";
import { negotiateGenerations, type GenerationProbe } from "./generations.js";

const SERVER = "pkg@1.0.0";

function probe(overrides: Partial<GenerationProbe>): GenerationProbe {
  return { server: SERVER, handshake: { answered: true, version: "2025-11-25" }, stateless: false, configured: undefined, ...overrides };
}

function refusal(input: GenerationProbe): HarnessError {
  try {
    negotiateGenerations(input);
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("negotiating a user's server's MCP generations", () => {
  it("benchmarks a server that speaks only 2025-11-25 on that one, and records it", () => {
    const generations = negotiateGenerations(probe({}));
    expect(generations).toEqual({ server: SERVER, spoken: ["2025-11-25"], initializeVersion: "2025-11-25", measured: ["2025-11-25"], source: "negotiated" });
    expect(serverGenerationsSchema.parse(generations)).toEqual(generations);
  });

  it("records both when the server speaks both, and measures what the stdio path carries (2025-11-25)", () => {
    expect(negotiateGenerations(probe({ stateless: true }))).toMatchObject({ spoken: ["2025-11-25", "2026-07-28"], measured: ["2025-11-25"], source: "negotiated" });
  });

  it("refuses a server that speaks only 2026-07-28, saying exactly why the stdio path cannot carry it", () => {
    const error = refusal(probe({ handshake: { answered: false }, stateless: true }));
    expect(error.code).toBe("PROTOCOL_UNSUPPORTED");
    expect(error.message).toMatch(/pkg@1\.0\.0 speaks only 2026-07-28 \(it refused the 2025-11-25 initialize handshake\), and the stdio bridge \(docker, process\) and the Lambda adapter start your server with their own 2025-11-25 initialize handshake/);
    expect(error.hint).toMatch(/createMcpHandler/);
  });

  it("keeps the scenario's protocol when the server speaks it, and refuses one it does not speak", () => {
    expect(negotiateGenerations(probe({ configured: ["2025-11-25"] }))).toMatchObject({ measured: ["2025-11-25"], source: "configured" });
    const error = refusal(probe({ handshake: { answered: false }, stateless: true, configured: ["2025-11-25"] }));
    expect(error.code).toBe("PROTOCOL_UNSUPPORTED");
    expect(error.message).toBe("protocol lists 2025-11-25, which pkg@1.0.0 does not speak (it speaks 2026-07-28).");
  });

  it("keeps an older revision named by initialize", () => {
    expect(negotiateGenerations(probe({ handshake: { answered: true, version: "2025-06-18" } }))).toMatchObject({ initializeVersion: "2025-06-18", measured: ["2025-11-25"] });
  });
});
