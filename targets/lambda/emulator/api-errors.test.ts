import { describe, expect, it } from "vitest";
import { errorReply } from "./control-plane.js";
import { invalidRequestContent, qualifiedFunctionNotAllowed, requestEntityTooLarge, resourceNotFound, tooManyRequests, unreservedBelowMinimum, updateInProgress, validationException } from "./api-errors.js";
import { normaliseErrorType, parsePostedError, runtimeExitPayload, timeoutPayload } from "./function-errors.js";

const arn = "arn:aws:lambda:us-east-1:000000000000:function:f";

describe("Lambda API error shapes (LAMBDA-CONTRACT §1–2)", () => {
  it("404 ResourceNotFoundException uses capital Message", () => {
    expect(errorReply(resourceNotFound(arn))).toEqual({
      status: 404,
      headers: { "x-amzn-ErrorType": "ResourceNotFoundException" },
      body: { Type: "User", Message: `Function not found: ${arn}` },
    });
  });

  it("409 update in progress uses lower-case message", () => {
    expect(errorReply(updateInProgress(arn))).toEqual({
      status: 409,
      headers: { "x-amzn-ErrorType": "ResourceConflictException" },
      body: { Type: "User", message: `The operation cannot be performed at this time. An update is in progress for resource: ${arn}` },
    });
  });

  it("429 carries the throttle Reason", () => {
    expect(errorReply(tooManyRequests("ReservedFunctionConcurrentInvocationLimitExceeded"))).toEqual({
      status: 429,
      headers: { "x-amzn-ErrorType": "TooManyRequestsException" },
      body: { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." },
    });
  });

  it("429 from the emulator's own cap keeps AWS's Reason and says what limited it", () => {
    expect(errorReply(tooManyRequests("ConcurrentInvocationLimitExceeded", "emulator: cap")).body).toEqual({ Reason: "ConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded. (emulator: cap)" });
  });

  it("reserved-concurrency refusals as recorded from AWS: ValidationException and the unreserved minimum carry only `message`", () => {
    expect(errorReply(validationException("reservedConcurrentExecutions", "'-1'", "Member must have value greater than or equal to 0"))).toEqual({
      status: 400,
      headers: { "x-amzn-ErrorType": "ValidationException" },
      body: { message: "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0" },
    });
    expect(errorReply(unreservedBelowMinimum(100))).toEqual({
      status: 400,
      headers: { "x-amzn-ErrorType": "InvalidParameterValueException" },
      body: { message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." },
    });
    expect(errorReply(qualifiedFunctionNotAllowed()).body).toMatchObject({ Type: "User", message: expect.stringMatching(/^This operation is permitted on Lambda functions only\./) });
  });

  it("413 is RequestEntityTooLargeException (not the modeled RequestTooLargeException)", () => {
    const reply = errorReply(requestEntityTooLarge("Request must be smaller than 6291456 bytes for the InvokeFunction operation"));
    expect(reply.status).toBe(413);
    expect(reply.headers).toEqual({ "x-amzn-ErrorType": "RequestEntityTooLargeException" });
    expect(reply.body).toEqual({ Type: "User", Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation" });
  });

  it("400 InvalidRequestContentException prefixes the parser message", () => {
    const reply = errorReply(invalidRequestContent("Unexpected token n"));
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ Type: "User", message: "Could not parse request body into json: Could not parse payload into json: Unexpected token n" });
  });
});

describe("function-error payloads", () => {
  it("timeout payload has Sandbox.Timedout and 2 decimals", () => {
    expect(timeoutPayload("abc", 1)).toEqual({ errorType: "Sandbox.Timedout", errorMessage: "RequestId: abc Error: Task timed out after 1.00 seconds" });
  });

  it("runtime exit payloads name the reason", () => {
    expect(runtimeExitPayload("abc", 0).errorMessage).toBe("RequestId: abc Error: Runtime exited without providing a reason");
    expect(runtimeExitPayload("abc", 127).errorMessage).toBe("RequestId: abc Error: Runtime exited with error: exit status 127");
    expect(runtimeExitPayload("abc", undefined, "SIGKILL").errorMessage).toBe("RequestId: abc Error: Runtime exited with error: signal: killed");
  });

  it("keeps what the runtime posted, taking the type from the body when no header", () => {
    const body = Buffer.from(JSON.stringify({ errorType: "Error", errorMessage: "boom", trace: ["Error: boom"] }));
    expect(parsePostedError(body, undefined)).toEqual({ payload: body, errorType: "Error" });
    expect(parsePostedError(body, "Runtime.ImportModuleError").errorType).toBe("Runtime.ImportModuleError");
    expect(JSON.parse(parsePostedError(Buffer.from("not json"), undefined).payload.toString())).toEqual({ errorType: "Runtime.Unknown", errorMessage: "not json" });
  });

  it("normalises init error types as the RIE does", () => {
    expect(normaliseErrorType("Runtime.HandlerNotFound")).toBe("Runtime.HandlerNotFound");
    expect(normaliseErrorType("Error")).toBe("Runtime.Unknown");
    expect(normaliseErrorType(undefined)).toBe("Runtime.Unknown");
  });
});
