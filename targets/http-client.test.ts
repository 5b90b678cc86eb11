import { createServer, Agent, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureHttpServer, type FixtureHttpServer } from "../fixtures/server/http-server.js";
import { connectHttpClient, createDeadlineFetch } from "./http-client.js";
import { urlRequestSigner } from "./lambda/url-signer.js";
import { checkSigV4Shape } from "./lambda/emulator/sigv4-shape.js";
import { LineTail } from "./local-instance.js";
import { countAbortListeners } from "../test/helpers/listeners.js";
import { settleTimed, startBlackHole } from "../test/helpers/black-hole.js";

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/mcp`);
    });
  });
}

describe("deadline fetch", () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    // Accepts and never answers: what a hung first request looks like.
    silent = createServer(() => {});
    silentUrl = await listen(silent);
  });
  afterAll(() => {
    silent.closeAllConnections();
    silent.close();
  });

  it("fails a request that outlives its deadline with a TimeoutError", async () => {
    const agent = new Agent({ keepAlive: true });
    const fetchWithDeadline = createDeadlineFetch({ agent, deadlineMs: 200 });
    try {
      await expect(fetchWithDeadline(silentUrl, { method: "POST", body: "{}" })).rejects.toMatchObject({ name: "TimeoutError" });
    } finally {
      agent.destroy();
    }
  });

  it("removes its listener from the caller's signal after every request", async () => {
    const fixture = await startFixtureHttpServer({ host: "127.0.0.1", port: 0 });
    const agent = new Agent({ keepAlive: true });
    const shared = new AbortController();
    const listeners = countAbortListeners(shared.signal);
    try {
      const fetchWithDeadline = createDeadlineFetch({ agent, deadlineMs: 5_000 });
      for (let index = 0; index < 5; index++) {
        const response = await fetchWithDeadline(fixture.url, { method: "GET", signal: shared.signal });
        expect(response.status).toBe(405);
      }
      expect(listeners()).toEqual({ added: 5, removed: 5 });
    } finally {
      agent.destroy();
      await fixture.close();
    }
  });

  it("aborts when the caller's signal aborts", async () => {
    const agent = new Agent({ keepAlive: true });
    const controller = new AbortController();
    const pending = createDeadlineFetch({ agent, deadlineMs: 10_000 })(silentUrl, { method: "POST", body: "{}", signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    agent.destroy();
  });

  it("sends the headers its signer returns (an AWS_IAM Function URL: SigV4 from url-signer.ts), signed over the request as sent", async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const echo = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      request.on("end", () => response.writeHead(202).end());
    });
    const url = await listen(echo);
    const agent = new Agent({ keepAlive: true });
    const signed: { url: string; method: string; body: unknown; accept: string | undefined }[] = [];
    const signer = urlRequestSigner("eu-west-1", { accessKeyId: "AKIDEXAMPLESIGN", secretAccessKey: "sign-secret-not-real" });
    try {
      const fetchWithDeadline = createDeadlineFetch({
        agent,
        deadlineMs: 5_000,
        signRequest: async (request) => {
          signed.push({ url: request.url, method: request.method, body: request.body, accept: request.headers.accept });
          return signer(request);
        },
      });
      const response = await fetchWithDeadline(`${url}?x=1`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0"}' });
      expect(response.status).toBe(202);
    } finally {
      agent.destroy();
      echo.close();
    }
    expect(signed).toEqual([{ url: `${url}?x=1`, method: "POST", body: '{"jsonrpc":"2.0"}', accept: "application/json, text/event-stream" }]);
    const headers = seen[0] ?? {};
    expect(checkSigV4Shape(String(headers.authorization), String(headers["x-amz-date"]))).toMatchObject({ ok: true, caller: { accessKeyId: "AKIDEXAMPLESIGN", region: "eu-west-1" } });
    expect(headers["x-amz-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(headers["content-type"]).toBe("application/json");
  });
});

describe("connectHttpClient", () => {
  let fixture: FixtureHttpServer;
  beforeAll(async () => {
    fixture = await startFixtureHttpServer({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("records ok, mcp_error and timeout outcomes", async () => {
    await using client = await connectHttpClient({ url: fixture.url, callTimeoutMs: 300 });
    expect(await client.callTool({ name: "echo", arguments: { text: "x" } })).toEqual({ outcome: "ok" });
    expect((await client.callTool({ name: "cpu", arguments: { rounds: 0 } })).outcome).toBe("mcp_error");
    expect((await client.callTool({ name: "io", arguments: { delayMs: 2_000 } })).outcome).toBe("timeout");
  });

  it("leaves no listener on the caller's long-lived signal after connect and calls (the SDK leaks one per request)", async () => {
    const run = new AbortController();
    const listeners = countAbortListeners(run.signal);
    await using client = await connectHttpClient({ url: fixture.url, callTimeoutMs: 5_000, signal: run.signal });
    for (let index = 0; index < 20; index++) expect(await client.callTool({ name: "echo", arguments: { text: "x" } }, run.signal)).toEqual({ outcome: "ok" });
    const counts = listeners();
    expect(counts.added).toBeGreaterThanOrEqual(21);
    expect(counts.removed).toBe(counts.added);
  });

  it("a call in flight still stops when the caller's signal aborts", async () => {
    const run = new AbortController();
    await using client = await connectHttpClient({ url: fixture.url, callTimeoutMs: 5_000 });
    const pending = client.callTool({ name: "io", arguments: { delayMs: 2_000 } }, run.signal);
    setTimeout(() => run.abort(new Error("Ctrl-C")), 50);
    await expect(pending).rejects.toThrow();
  });

  it("rejects when nothing listens", async () => {
    const closed = await startFixtureHttpServer({ host: "127.0.0.1", port: 0 });
    await closed.close();
    await expect(connectHttpClient({ url: closed.url, callTimeoutMs: 2_000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("LineTail", () => {
  it("keeps the last lines, joining chunks split mid-line", () => {
    const tail = new LineTail(2);
    tail.write("one\ntw");
    tail.write("o\nthree\nfou");
    expect(tail.text()).toBe("three | fou");
    expect(tail.text(5)).toBe("two | three | fou");
    tail.push("");
    expect(tail.text(1)).toBe("fou");
  });
});

describe("MCP HTTP client against a server that accepts connections and never answers", () => {
  it("fails to connect within its bound (the call timeout), with a timeout naming the request", async () => {
    await using hole = await startBlackHole();
    const { elapsedMs, error } = await settleTimed(connectHttpClient({ url: `${hole.url}/mcp`, callTimeoutMs: 300 }));
    expect(String(error)).toMatch(/timed out|exceeded its \d+ ms deadline/i);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(hole.accepted()).toBeGreaterThan(0);
  });

  it("the first Ctrl-C (the connect's signal) stops the hung connect at once", async () => {
    await using hole = await startBlackHole();
    const ctrlC = new AbortController();
    setTimeout(() => ctrlC.abort(), 200);
    const { elapsedMs, error } = await settleTimed(connectHttpClient({ url: `${hole.url}/mcp`, callTimeoutMs: 120_000, signal: ctrlC.signal }));
    expect(error).toBeDefined();
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
