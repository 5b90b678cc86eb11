/**
 * Lambda's HTTP payload format 2.0 on the Function URL's side, pure: an HTTP request → the event the
 * function receives, and the function's result → the HTTP response the caller gets. The function's side
 * (event → fetch Request, Response → result) and the event's type are fixtures/lambda/http-event.ts.
 *
 * Result rules (Lambda developer guide, "Invoking Lambda function URLs" → response payload format):
 *   - a JSON object with a numeric `statusCode` is structured: status, `headers` (values as strings),
 *     `cookies` (one Set-Cookie each), `body` (a string; base64-decoded when `isBase64Encoded`; any
 *     other JSON value is serialised as JSON), no Content-Type given ⇒ application/json;
 *   - anything else (an object without `statusCode`, a string, a number) is the body itself: status 200,
 *     Content-Type application/json, body = the function's JSON result as returned.
 */
import { isTextContentType, type HttpEventV2 } from "../../../fixtures/lambda/http-event.js";

export interface UrlHttpRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/mcp?x=1`. */
  readonly rawUrl: string;
  /** Node's `rawHeaders` pairs flattened: name, value, name, value … */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly httpVersion: string;
}

export interface UrlEventContext {
  readonly requestId: string;
  /** The URL id (`<url-id>.lambda-url.<region>.on.aws`). */
  readonly urlId: string;
  readonly region: string;
  readonly accountId: string;
  readonly nowMs: number;
  /** AWS_IAM URLs: the caller's identity as Lambda passes it (`requestContext.authorizer.iam`). */
  readonly iam?: Readonly<Record<string, string | null>>;
}

export interface UrlHttpResponse {
  readonly statusCode: number;
  /** Name/value pairs; repeated names (Set-Cookie) appear once per value. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `12/Mar/2020:19:03:58 +0000`, as `requestContext.time` carries it. */
export function formatRequestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? "Jan"}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function joinRepeated(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [name, value] of pairs) joined[name] = joined[name] === undefined ? value : `${joined[name]},${value}`;
  return joined;
}

function splitCookies(header: string): string[] {
  return header
    .split(";")
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== "");
}

/** The payload-2.0 event for one HTTP request to a Function URL. */
export function eventFromUrlRequest(request: UrlHttpRequest, context: UrlEventContext): HttpEventV2 {
  const headerPairs: [string, string][] = [];
  const cookies: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? "").toLowerCase();
    const value = request.rawHeaders[index + 1] ?? "";
    if (name === "cookie") cookies.push(...splitCookies(value));
    else headerPairs.push([name, value]);
  }
  const domainName = `${context.urlId}.lambda-url.${context.region}.on.aws`;
  const headers = joinRepeated(headerPairs);
  const queryStart = request.rawUrl.indexOf("?");
  const rawPath = queryStart === -1 ? request.rawUrl : request.rawUrl.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? "" : request.rawUrl.slice(queryStart + 1);
  const query = [...new URLSearchParams(rawQueryString).entries()];
  const text = isTextContentType(headers["content-type"]);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: rawPath === "" ? "/" : rawPath,
    rawQueryString,
    ...(cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(query.length === 0 ? {} : { queryStringParameters: joinRepeated(query) }),
    requestContext: {
      accountId: context.iam === undefined ? "anonymous" : (context.iam.accountId ?? "anonymous"),
      apiId: context.urlId,
      ...(context.iam === undefined ? {} : { authorizer: { iam: context.iam } }),
      domainName,
      domainPrefix: context.urlId,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath === "" ? "/" : rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: "$default",
      stage: "$default",
      time: formatRequestTime(context.nowMs),
      timeEpoch: context.nowMs,
    },
    ...(request.body.length === 0 ? {} : { body: text ? request.body.toString("utf8") : request.body.toString("base64") }),
    isBase64Encoded: request.body.length > 0 && !text,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function headerText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The HTTP response for a function's (successful) result bytes. */
export function responseFromResult(payload: Buffer): UrlHttpResponse {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString("utf8"));
  } catch {
    result = undefined;
  }
  if (!isRecord(result) || typeof result.statusCode !== "number") {
    return { statusCode: 200, headers: [["content-type", "application/json"]], body: payload };
  }
  const headers: [string, string][] = [];
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) headers.push([name.toLowerCase(), headerText(value)]);
  }
  if (!headers.some(([name]) => name === "content-type")) headers.push(["content-type", "application/json"]);
  if (Array.isArray(result.cookies)) {
    for (const cookie of result.cookies) if (typeof cookie === "string") headers.push(["set-cookie", cookie]);
  }
  const rawBody = result.body;
  let body: Buffer;
  if (rawBody === undefined || rawBody === null) body = Buffer.alloc(0);
  else if (typeof rawBody === "string") body = result.isBase64Encoded === true ? Buffer.from(rawBody, "base64") : Buffer.from(rawBody, "utf8");
  else body = Buffer.from(JSON.stringify(rawBody));
  return { statusCode: result.statusCode, headers, body };
}
