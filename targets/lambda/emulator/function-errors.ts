/**
 * Payloads of failed invocations (HTTP 200 + `X-Amz-Function-Error: Unhandled`), shapes from
 * shared/LAMBDA-CONTRACT.md §2 "Function-error payloads".
 */

export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Sync response limit: 6 MiB + 100 bytes. */
export const MAX_RESPONSE_BYTES = 6_291_556;

export function timeoutPayload(requestId: string, timeoutSeconds: number): FunctionErrorPayload {
  return { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

/** The runtime process (or container) ended during an invocation or before its first `/next`. */
export function runtimeExitPayload(requestId: string, exitCode: number | undefined, signalName?: string): FunctionErrorPayload {
  const reason =
    signalName !== undefined
      ? `Runtime exited with error: signal: ${signalName === "SIGKILL" ? "killed" : signalName}`
      : exitCode === undefined || exitCode === 0
        ? "Runtime exited without providing a reason"
        : `Runtime exited with error: exit status ${exitCode}`;
  return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

const KILLED_EXIT_STATUS = 137; // 128 + SIGKILL: how docker reports a killed container
/**
 * Memory is sampled every ~100 ms and the kernel kills at the limit, so the last sample before an OOM
 * kill may be well below it: a kill with a known peak under this share was something else.
 */
const OUT_OF_MEMORY_MIN_PEAK_SHARE = 0.5;

/**
 * The runtime was killed (SIGKILL, or exit 137 from a killed container) having used its memory: what
 * Lambda reports as Runtime.OutOfMemory. The emulator itself never kills a runtime mid-invoke except on
 * timeout, which is reported as such.
 */
export function isOutOfMemoryExit(exitCode: number | undefined, signalName: string | undefined, maxMemoryUsedMb: number | undefined, memorySizeMb: number): boolean {
  const killed = signalName === "SIGKILL" || exitCode === KILLED_EXIT_STATUS;
  return killed && (maxMemoryUsedMb === undefined || maxMemoryUsedMb >= memorySizeMb * OUT_OF_MEMORY_MIN_PEAK_SHARE);
}

export function responseTooLargePayload(): FunctionErrorPayload {
  return {
    errorType: "Function.ResponseSizeTooLarge",
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

/** Error types the Runtime API accepts from the runtime; anything else becomes Runtime.Unknown (as the RIE does). */
export function normaliseErrorType(candidate: string | undefined): string {
  return candidate !== undefined && /^(Runtime|Function)\.[A-Z][a-zA-Z]+$/.test(candidate) ? candidate : "Runtime.Unknown";
}

/**
 * Reads `{errorType, errorMessage, trace}` from what the runtime posted; keeps the body as posted when
 * it is a JSON object (that is what Lambda returns to the caller).
 */
export function parsePostedError(body: Buffer, headerErrorType: string | undefined): { payload: Buffer; errorType: string } {
  let errorType = headerErrorType;
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const posted = (parsed as Record<string, unknown>).errorType;
      if (errorType === undefined && typeof posted === "string") errorType = posted;
      return { payload: body, errorType: errorType ?? "Unknown" };
    }
  } catch {
    /* not JSON: wrap below */
  }
  const wrapped: FunctionErrorPayload = { errorType: errorType ?? "Runtime.Unknown", errorMessage: body.toString("utf8").slice(0, 4096) };
  return { payload: Buffer.from(JSON.stringify(wrapped)), errorType: wrapped.errorType };
}
