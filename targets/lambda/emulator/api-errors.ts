/**
 * Control-plane / Invoke errors exactly as Lambda sends them (shared/LAMBDA-CONTRACT.md §1–2): the code
 * in header `x-amzn-ErrorType` (the SDK reads it first), a JSON body with `Type` and the message under
 * the key the model declares (`Message` for ResourceNotFoundException / ServiceException, `message`
 * otherwise). Thrown inside the emulator as `LambdaApiError`, rendered once by the HTTP layer.
 */

export type ThrottleReason = "ReservedFunctionConcurrentInvocationLimitExceeded" | "ConcurrentInvocationLimitExceeded";

export class LambdaApiError extends Error {
  override readonly name = "LambdaApiError";
  constructor(
    readonly statusCode: number,
    /** Goes into `x-amzn-ErrorType`. */
    readonly errorCode: string,
    /** The JSON body, keys as Lambda capitalises them. */
    readonly body: Readonly<Record<string, string>>,
  ) {
    super(body.message ?? body.Message ?? errorCode);
  }
}

export function isLambdaApiError(error: unknown): error is LambdaApiError {
  return error instanceof LambdaApiError;
}

/** 404 — unknown function (any operation, also Invoke). */
export function resourceNotFound(functionArn: string): LambdaApiError {
  return new LambdaApiError(404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${functionArn}` });
}

/** 409 — e.g. an update while the previous one is InProgress, or a create of an existing name. */
/** 404 — the function exists but has no Function URL config (Get/DeleteFunctionUrlConfig). */
export function functionUrlNotFound(): LambdaApiError {
  return new LambdaApiError(404, "ResourceNotFoundException", { Type: "User", Message: "The resource you requested does not exist." });
}

export function resourceConflict(message: string): LambdaApiError {
  return new LambdaApiError(409, "ResourceConflictException", { Type: "User", message });
}

export function updateInProgress(functionArn: string): LambdaApiError {
  return resourceConflict(`The operation cannot be performed at this time. An update is in progress for resource: ${functionArn}`);
}

export function functionPending(functionArn: string): LambdaApiError {
  return resourceConflict(`The operation cannot be performed at this time. The function is currently in the following state: Pending (${functionArn})`);
}

/**
 * 429 — throttled; Reason tells which limit. AWS says "Rate Exceeded." for every Reason; the emulator
 * appends what it alone limits (its live-environment cap) so a reader can tell it from Lambda's limits.
 */
export function tooManyRequests(reason: ThrottleReason, emulatorNote?: string): LambdaApiError {
  const message = emulatorNote === undefined ? "Rate Exceeded." : `Rate Exceeded. (${emulatorNote})`;
  return new LambdaApiError(429, "TooManyRequestsException", { Reason: reason, Type: "User", message });
}

/** 413 — the code AWS actually sends (not the modeled RequestTooLargeException). */
export function requestEntityTooLarge(message: string): LambdaApiError {
  return new LambdaApiError(413, "RequestEntityTooLargeException", { Type: "User", Message: message });
}

/** 400 — the Invoke payload is not JSON. */
export function invalidRequestContent(parserMessage: string): LambdaApiError {
  return new LambdaApiError(400, "InvalidRequestContentException", {
    Type: "User",
    message: `Could not parse request body into json: Could not parse payload into json: ${parserMessage}`,
  });
}

/** 400 — a request parameter the emulator cannot accept. */
export function invalidParameterValue(message: string): LambdaApiError {
  return new LambdaApiError(400, "InvalidParameterValueException", { Type: "User", message });
}

/**
 * 400 — a member fails the API model's constraints (checked before the operation runs, so before any
 * ResourceNotFoundException). AWS's body has only `message`, in the framework's wording.
 */
export function validationException(member: string, value: string, constraint: string): LambdaApiError {
  return new LambdaApiError(400, "ValidationException", { message: `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}` });
}

/** 400 — PutFunctionConcurrency would leave fewer than `minimumUnreserved` executions unreserved (AWS: no `Type` in this body). */
export function unreservedBelowMinimum(minimumUnreserved: number): LambdaApiError {
  return new LambdaApiError(400, "InvalidParameterValueException", {
    message: `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreserved}].`,
  });
}

/** 400 — a function-level operation was given a qualified ARN (version or alias). */
export function qualifiedFunctionNotAllowed(): LambdaApiError {
  return invalidParameterValue(
    "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.",
  );
}

/** 404 — a route the emulator does not implement (it never pretends to be all of Lambda). */
export function unknownOperation(method: string, path: string): LambdaApiError {
  return new LambdaApiError(404, "UnknownOperationException", {
    Type: "User",
    message: `The mcp-deploy-bench Lambda emulator does not implement ${method} ${path}.`,
  });
}

/** 500 — the emulator itself failed (e.g. Docker went away). */
export function serviceException(message: string): LambdaApiError {
  return new LambdaApiError(500, "ServiceException", { Type: "Service", Message: message });
}
