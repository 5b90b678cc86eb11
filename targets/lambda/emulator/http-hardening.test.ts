/**
 * The emulator's HTTP servers against hostile clients, over raw sockets to 127.0.0.1: malformed
 * percent-encoding is a 400 (AWS-shaped), a client that stalls mid-headers or mid-body is cut (408,
 * connection closed), and neither limit cuts what legitimately takes long — an invoke's response and
 * the runtime's parked `/next` long-poll.
 */
import { connect } from "node:net";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { createActiveFunction, invokeJson, lambdaClient, payloadJson } from "./contract-suite.js";
import { startEmulator, type RunningEmulator } from "./index.js";
import type { RequestReceiptLimits } from "./request-limits.js";
import { RuntimeApiServer, type RuntimeApiListener } from "./runtime-api.js";

const LIMITS: RequestReceiptLimits = { headersTimeoutMs: 300, requestTimeoutMs: 600 };
/** Far beyond the limits: a connection still open after this is held forever. */
const GIVE_UP_MS = 8_000;

interface RawExchange {
  /** Everything the server sent before closing (or before GIVE_UP_MS). */
  readonly text: string;
  readonly closed: boolean;
}

/** Writes `parts` (a pause of `pauseMs` before each after the first), then reads until the server closes. */
function rawExchange(port: number, parts: readonly string[], pauseMs = 0): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, GIVE_UP_MS);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ text, closed: true });
    });
    socket.on("connect", () => {
      void (async () => {
        for (const [index, part] of parts.entries()) {
          if (index > 0 && pauseMs > 0) await new Promise((done) => setTimeout(done, pauseMs));
          if (!socket.destroyed) socket.write(part);
        }
      })();
    });
  });
}

const statusOf = (exchange: RawExchange): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(exchange.text)?.[1] ?? 0);
const bodyOf = (exchange: RawExchange): unknown => JSON.parse(exchange.text.slice(exchange.text.indexOf("\r\n\r\n") + 4));

const SLOW_HEADERS = ["POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n"];
const HALF_BODY = ["POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n", '{"half":'];

describe("control plane: malformed requests and stalled clients", () => {
  let emulator: RunningEmulator;
  let client: LambdaClient;
  let port: number;
  beforeAll(async () => {
    emulator = await startEmulator({ mode: "process", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId: "test-http-hardening", keepAliveMs: 60_000, maxEnvironments: 2, stateTransitionMs: 50, requestLimits: LIMITS });
    client = lambdaClient(emulator.endpoint);
    port = Number(new URL(emulator.endpoint).port);
  }, 300_000);
  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
  });

  it("a malformed percent-encoded function name is 400 InvalidParameterValueException, not 500", async () => {
    const exchange = await rawExchange(port, ["POST /2015-03-31/functions/%E0%A4%A/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"]);
    expect(statusOf(exchange)).toBe(400);
    expect(exchange.text).toMatch(/x-amzn-ErrorType: InvalidParameterValueException/i);
    expect(bodyOf(exchange)).toMatchObject({ Type: "User", message: expect.stringMatching(/%E0%A4%A.*not valid percent-encoding.*encodeURIComponent/) });
  });

  it("the same for the other routes that take a name or ARN", async () => {
    for (const path of ["/2015-03-31/functions/%ZZ", "/2015-03-31/functions/%E0%A4%A/configuration", "/2017-03-31/tags/arn%3Aaws%E0"]) {
      const exchange = await rawExchange(port, [`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`]);
      expect(statusOf(exchange), path).toBe(400);
    }
  });

  it("a client that stops in the middle of its headers is cut (408, connection closed)", async () => {
    const exchange = await rawExchange(port, SLOW_HEADERS);
    expect(exchange.closed).toBe(true);
    expect(statusOf(exchange)).toBe(408);
  });

  it("a client that sends half its body is cut (408, connection closed)", async () => {
    const exchange = await rawExchange(port, HALF_BODY);
    expect(exchange.closed).toBe(true);
    expect(statusOf(exchange)).toBe(408);
  });

  it("an invoke that runs longer than the request limit still answers: the limit bounds the request, not the response", async () => {
    await createActiveFunction(client, "slow-invoke", DEFAULT_LAMBDA_RUNTIME);
    const sleepMs = LIMITS.requestTimeoutMs * 3;
    const output = await invokeJson(client, "slow-invoke", { sleepMs, echo: "still here" });
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(payloadJson(output)).toMatchObject({ echo: "still here" });
  }, 60_000);
});

describe("Runtime API: malformed requests and stalled clients", () => {
  const events: string[] = [];
  const listener: RuntimeApiListener = {
    onNext: () => events.push("next"),
    onDispatched: (requestId) => events.push(`dispatched ${requestId}`),
    onResponse: (requestId) => events.push(`response ${requestId}`),
    onResponseTooLarge: () => undefined,
    onInvocationError: () => undefined,
    onInitError: () => events.push("init-error"),
  };
  let server: RuntimeApiServer;
  beforeAll(async () => {
    server = new RuntimeApiServer(listener, LIMITS);
    await server.listen();
  });
  afterAll(() => server?.close());

  it("a malformed percent-encoded request id is 400 InvalidRequestID", async () => {
    const exchange = await rawExchange(server.port, ["POST /2018-06-01/runtime/invocation/%E0%A4%A/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"]);
    expect(statusOf(exchange)).toBe(400);
    expect(bodyOf(exchange)).toMatchObject({ errorType: "InvalidRequestID" });
  });

  it("a runtime that stops in the middle of its headers or body is cut (408), and nothing is reported for it", async () => {
    const headers = await rawExchange(server.port, ["POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: x\r\n"]);
    const body = await rawExchange(server.port, ["POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n", "{"]);
    for (const exchange of [headers, body]) {
      expect(exchange.closed).toBe(true);
      expect(statusOf(exchange)).toBe(408);
    }
    expect(events).not.toContain("init-error");
  });

  it("a parked /next outlives the request limit and gets the event dispatched after it", async () => {
    const pending = rawExchange(server.port, ["GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    await new Promise((done) => setTimeout(done, LIMITS.requestTimeoutMs * 3));
    server.dispatch({ requestId: "late-event", deadlineEpochMs: Date.now() + 60_000, invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f", payload: Buffer.from('{"ok":true}') });
    const exchange = await pending;
    expect(statusOf(exchange)).toBe(200);
    expect(exchange.text).toMatch(/Lambda-Runtime-Aws-Request-Id: late-event/i);
    expect(events).toContain("dispatched late-event");
  });
});
