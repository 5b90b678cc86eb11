/**
 * An MCP client `Transport` over Lambda's Invoke API: one RequestResponse invoke per JSON-RPC message,
 * the wire format of awslabs' run-mcp-servers-with-aws-lambda (see fixtures/lambda/handler.ts): the
 * payload is the message, the result is its JSON-RPC response, `{}` for a notification. The SDK's
 * `Client` runs over it unchanged.
 *
 * Every invoke asks for the log tail (`LogType: "Tail"`) and its REPORT line is kept per request id and
 * as "the last response's", for `SdkCallClient`'s `takeReport`.
 *
 * Failures reject the pending SDK request promptly (send() rejects, which the SDK's Protocol turns into
 * the request's rejection) with a `LambdaInvokeError` that carries its call outcome:
 *   - function error with `Sandbox.Timedout` (or REPORT `Status: timeout`) ⇒ "timeout";
 *   - any other function error (`X-Amz-Function-Error`), throttles (429), other API errors ⇒ "transport_error".
 * Nothing is retried: the LambdaClient must be built with `maxAttempts: 1` (checked in the constructor).
 */
import { InvokeCommand, LambdaServiceException, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  isJSONRPCNotification,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { HarnessError } from "../../core/errors.js";
import type { OutcomeCarrier } from "../call-client.js";
import type { CallOutcome, InvokeReport } from "../../core/calls.js";
import { parseLogResult } from "./report.js";

/** An invoke that did not produce a JSON-RPC answer; `callOutcome` says how to record the call. */
export class LambdaInvokeError extends Error implements OutcomeCarrier {
  override readonly name = "LambdaInvokeError";
  readonly callOutcome: CallOutcome;
  /** e.g. "Sandbox.Timedout", "Error", "TooManyRequestsException", "ResourceNotFoundException". */
  readonly errorType: string | undefined;
  /** The REPORT of the failed invoke, when the log tail had one. */
  readonly report: InvokeReport | undefined;

  constructor(message: string, options: { callOutcome: CallOutcome; errorType?: string; report?: InvokeReport; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.callOutcome = options.callOutcome;
    this.errorType = options.errorType;
    this.report = options.report;
  }
}

/** What one invoke gave, for observers (e.g. the cold-start probe). */
export interface InvokeRecord {
  /** JSON-RPC id of the request, undefined for a notification. */
  readonly messageId: RequestId | undefined;
  readonly method: string | undefined;
  readonly awsRequestId: string | undefined;
  readonly report: InvokeReport | undefined;
  readonly functionError: string | undefined;
}

export interface LambdaTransportOptions {
  /** Built with `maxAttempts: 1` (a retried invoke would hide throttles and double-count work). */
  readonly client: LambdaClient;
  readonly functionName: string;
  readonly qualifier?: string;
  /** Called after every invoke that got an HTTP response (also function errors). */
  readonly onInvoke?: (record: InvokeRecord) => void;
}

/** Reports kept per request id; old entries are dropped beyond this (a client nobody takes reports from). */
const MAX_KEPT_REPORTS = 1024;

function decodePayload(payload: Uint8Array | undefined): string {
  return payload === undefined ? "" : Buffer.from(payload).toString("utf8").trim();
}

function isEmptyResult(text: string): boolean {
  return text === "" || text === "{}" || text === "null";
}

interface FunctionErrorPayload {
  readonly errorType?: string;
  readonly errorMessage?: string;
}

function parseFunctionError(text: string): FunctionErrorPayload {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return { errorMessage: text };
    const errorType = "errorType" in value && typeof value.errorType === "string" ? value.errorType : undefined;
    const errorMessage = "errorMessage" in value && typeof value.errorMessage === "string" ? value.errorMessage : undefined;
    return { errorType, errorMessage };
  } catch {
    return { errorMessage: text };
  }
}

function oneLine(text: string, maxChars = 300): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > maxChars ? `${line.slice(0, maxChars)}…` : line;
}

/** Turns an error thrown by `LambdaClient.send(InvokeCommand)` into a LambdaInvokeError. */
function invokeApiError(error: unknown): LambdaInvokeError {
  if (error instanceof LambdaInvokeError) return error;
  if (error instanceof LambdaServiceException || (error instanceof Error && "$metadata" in error)) {
    const reason = "Reason" in error && typeof error.Reason === "string" ? error.Reason : undefined;
    const status = "$metadata" in error && typeof error.$metadata === "object" && error.$metadata !== null && "httpStatusCode" in error.$metadata ? error.$metadata.httpStatusCode : undefined;
    const head = reason === undefined ? error.name : `${error.name} (${reason})`;
    const statusText = typeof status === "number" ? ` [HTTP ${status}]` : "";
    return new LambdaInvokeError(`${head}: ${oneLine(error.message)}${statusText}`, { callOutcome: "transport_error", errorType: error.name, cause: error });
  }
  if (error instanceof Error && error.name === "AbortError") {
    return new LambdaInvokeError(`invoke aborted: ${oneLine(error.message)}`, { callOutcome: "transport_error", errorType: "AbortError", cause: error });
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new LambdaInvokeError(`invoke failed: ${oneLine(message)}`, { callOutcome: "transport_error", cause: error });
}

function maxAttemptsOf(client: LambdaClient): unknown {
  const config: unknown = client.config;
  return typeof config === "object" && config !== null && "maxAttempts" in config ? config.maxAttempts : undefined;
}

export class LambdaTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  readonly #options: LambdaTransportOptions;
  readonly #inFlight = new Map<RequestId, AbortController>();
  readonly #untracked = new Set<AbortController>();
  readonly #reports = new Map<RequestId, InvokeReport>();
  #lastReport: InvokeReport | undefined;
  #closed = false;

  constructor(options: LambdaTransportOptions) {
    this.#options = options;
  }

  /** Checks the client does not retry: `maxAttempts` must resolve to 1. */
  static async assertNoRetries(client: LambdaClient): Promise<void> {
    const value = maxAttemptsOf(client);
    const attempts = typeof value === "function" ? await (value as () => Promise<unknown>)() : value;
    if (attempts !== 1) {
      throw new HarnessError("LAMBDA_CLIENT_RETRIES", `The LambdaClient for the Lambda transport retries (maxAttempts = ${String(attempts)}).`, {
        hint: "Create it with { maxAttempts: 1 }: retries would hide throttles and time calls twice.",
      });
    }
  }

  async start(): Promise<void> {
    await LambdaTransport.assertNoRetries(this.#options.client);
  }

  /** The REPORT of the most recent request's invoke (undefined when it had none), cleared when taken. */
  takeReport(): InvokeReport | undefined {
    const report = this.#lastReport;
    this.#lastReport = undefined;
    return report;
  }

  /** The REPORT of the invoke that answered request `id`, removed when taken. */
  takeReportFor(id: RequestId): InvokeReport | undefined {
    const report = this.#reports.get(id);
    this.#reports.delete(id);
    return report;
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (this.#closed) throw new LambdaInvokeError("Lambda transport is closed", { callOutcome: "transport_error" });
    const isRequest = isJSONRPCRequest(message);
    const messageId = isRequest ? message.id : undefined;
    const method = isRequest || isJSONRPCNotification(message) ? message.method : undefined;

    if (method === "notifications/cancelled") {
      // Nothing to tell a stateless function (its invoke cannot be reached); stop waiting for it instead.
      const params: unknown = isJSONRPCNotification(message) ? message.params : undefined;
      const requestId = typeof params === "object" && params !== null && "requestId" in params ? params.requestId : undefined;
      if (typeof requestId === "string" || typeof requestId === "number") this.#inFlight.get(requestId)?.abort(new Error(`request ${requestId} cancelled`));
      return;
    }

    // A new request's outcome must never be credited with an earlier invoke's REPORT.
    if (messageId !== undefined) this.#lastReport = undefined;
    const controller = new AbortController();
    if (messageId === undefined) this.#untracked.add(controller);
    else this.#inFlight.set(messageId, controller);
    let output: InvokeCommandOutput;
    try {
      output = await this.#options.client.send(
        new InvokeCommand({
          FunctionName: this.#options.functionName,
          ...(this.#options.qualifier === undefined ? {} : { Qualifier: this.#options.qualifier }),
          LogType: "Tail",
          Payload: Buffer.from(JSON.stringify(message), "utf8"),
        }),
        { abortSignal: controller.signal },
      );
    } catch (error) {
      throw invokeApiError(error);
    } finally {
      if (messageId === undefined) this.#untracked.delete(controller);
      else this.#inFlight.delete(messageId);
    }
    this.#deliver(output, messageId, method);
  }

  #deliver(output: InvokeCommandOutput, messageId: RequestId | undefined, method: string | undefined): void {
    const report = parseLogResult(output.LogResult);
    this.#keepReport(messageId, report);
    this.#options.onInvoke?.({
      messageId,
      method,
      awsRequestId: output.$metadata.requestId,
      report,
      functionError: output.FunctionError,
    });
    const text = decodePayload(output.Payload);
    const what = method === undefined ? "message" : method;

    if (output.FunctionError !== undefined && output.FunctionError !== "") {
      const payload = parseFunctionError(text);
      const timedOut = payload.errorType === "Sandbox.Timedout" || report?.status === "timeout" || /Task timed out after/.test(payload.errorMessage ?? "");
      const errorType = payload.errorType ?? (timedOut ? "Sandbox.Timedout" : output.FunctionError);
      throw new LambdaInvokeError(
        `Lambda function error (${output.FunctionError}) ${errorType} on ${what}: ${oneLine(payload.errorMessage ?? text)}`,
        { callOutcome: timedOut ? "timeout" : "transport_error", errorType, report },
      );
    }
    if (isEmptyResult(text)) {
      if (messageId === undefined) return; // a notification: `{}` is the expected answer
      throw new LambdaInvokeError(`Lambda function returned no JSON-RPC response for ${what} (id ${messageId}): payload ${JSON.stringify(text)}`, {
        callOutcome: "transport_error",
        report,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new LambdaInvokeError(`Lambda function returned a payload that is not JSON for ${what}: ${oneLine(text, 120)}`, {
        callOutcome: "transport_error",
        cause: error,
        report,
      });
    }
    const checked = JSONRPCMessageSchema.safeParse(parsed);
    if (!checked.success) {
      throw new LambdaInvokeError(`Lambda function returned something that is not a JSON-RPC message for ${what}: ${oneLine(text, 120)}`, {
        callOutcome: "transport_error",
        report,
      });
    }
    if (messageId === undefined) return; // a server answering a notification: nothing waits for it
    this.onmessage?.(checked.data);
  }

  #keepReport(messageId: RequestId | undefined, report: InvokeReport | undefined): void {
    if (report === undefined) return;
    if (messageId !== undefined) {
      this.#reports.set(messageId, report);
      if (this.#reports.size > MAX_KEPT_REPORTS) {
        const oldest = this.#reports.keys().next();
        if (oldest.done !== true) this.#reports.delete(oldest.value);
      }
      this.#lastReport = report;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      const reason = new Error("Lambda transport closed");
      for (const controller of this.#inFlight.values()) controller.abort(reason);
      for (const controller of this.#untracked) controller.abort(reason);
    } finally {
      this.#inFlight.clear();
      this.#untracked.clear();
      this.onclose?.();
    }
  }
}
