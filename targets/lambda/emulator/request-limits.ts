/**
 * How long the emulator's HTTP servers (control plane, per-environment Runtime API) wait for a client to
 * *send* its request: the headers within `headersTimeoutMs`, headers and body within `requestTimeoutMs`.
 * A client that stalls mid-headers or mid-body gets 408 and its connection closed instead of holding it
 * forever. Node checks these only while a request is being received: once it is complete, writing the
 * response may take as long as it takes, so an invoke running up to the function timeout (900 s) and a
 * runtime's parked `/next` long-poll are never cut.
 */
import { createServer, type RequestListener, type Server } from "node:http";

export interface RequestReceiptLimits {
  /** Until the last header line arrived. */
  readonly headersTimeoutMs: number;
  /** Until the whole request (headers and body) arrived; at least `headersTimeoutMs`. */
  readonly requestTimeoutMs: number;
}

/** Generous for loopback (a 70 MB CreateFunction body arrives in well under a second). */
export const DEFAULT_REQUEST_RECEIPT_LIMITS: RequestReceiptLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 };

/** Node's default check interval is 30 s: a finer one makes short limits (tests) fire near their time. */
const MAX_CHECK_INTERVAL_MS = 1_000;

/** An HTTP server that closes connections whose request does not arrive within `limits`. */
export function createReceiptBoundedServer(listener: RequestListener, limits: RequestReceiptLimits = DEFAULT_REQUEST_RECEIPT_LIMITS): Server {
  const headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const connectionsCheckingInterval = Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(headersTimeoutMs / 4)));
  return createServer({ headersTimeout: headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval }, listener);
}
