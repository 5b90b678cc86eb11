import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isHttpEventV2, requestFromEvent, resultFromResponse } from "../../../fixtures/lambda/http-event.js";
import { eventFromUrlRequest, formatRequestTime, responseFromResult, type UrlHttpRequest } from "./function-url-payload.js";

const GOLDEN = join(import.meta.dirname, "__golden__", "function-url-payload.json");
const context = { requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", urlId: "abcdefg", region: "us-east-1", accountId: "123456789012", nowMs: 1_583_348_638_390 };

/** The request of AWS's documented example (a POST with a query, cookies and a JSON body), plus binary and repeated cases. */
const requests: Record<string, UrlHttpRequest> = {
  documentedPost: {
    method: "POST",
    rawUrl: "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
    rawHeaders: ["Host", "abcdefg.lambda-url.us-east-1.on.aws", "Content-Type", "application/json", "Cookie", "cookie1=value1; cookie2=value2", "User-Agent", "agent", "X-Multi", "a", "X-Multi", "b"],
    body: Buffer.from('{"hello":"world"}'),
    sourceIp: "123.123.123.123",
    httpVersion: "1.1",
  },
  binaryBody: { method: "POST", rawUrl: "/", rawHeaders: ["content-type", "application/octet-stream"], body: Buffer.from([0, 1, 2, 255]), sourceIp: "127.0.0.1", httpVersion: "1.1" },
  emptyGet: { method: "get", rawUrl: "", rawHeaders: [], body: Buffer.alloc(0), sourceIp: "127.0.0.1", httpVersion: "1.1" },
};

/** Function results as AWS's response-format section lists them: structured, inferred (no statusCode), base64, object body. */
const results: Record<string, unknown> = {
  structured: { statusCode: 201, headers: { "Content-Type": "application/json", "My-Custom-Header": "Custom Value" }, body: '{"message":"Hello, world!"}', cookies: ["Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT", "Cookie_2=Value2; Max-Age=78000"], isBase64Encoded: false },
  inferredObject: { message: "Hello, world!" },
  inferredString: "Hello, world!",
  base64Body: { statusCode: 200, headers: { "content-type": "application/octet-stream" }, body: Buffer.from([0, 1, 2, 255]).toString("base64"), isBase64Encoded: true },
  objectBody: { statusCode: 200, body: { nested: [1, 2] } },
  noBody: { statusCode: 204 },
};

function rendered(): Record<string, unknown> {
  return {
    events: Object.fromEntries(Object.entries(requests).map(([name, request]) => [name, eventFromUrlRequest(request, context)])),
    iamEvent: eventFromUrlRequest(requests.emptyGet!, { ...context, iam: { accessKey: "AKIA", accountId: "123456789012", callerId: "AIDA", cognitoIdentity: null, principalOrgId: null, userArn: "arn:aws:iam::123456789012:user/u", userId: "AIDA" } }).requestContext,
    responses: Object.fromEntries(
      Object.entries(results).map(([name, result]) => {
        const response = responseFromResult(Buffer.from(JSON.stringify(result)));
        return [name, { statusCode: response.statusCode, headers: response.headers, body: response.body.toString("base64"), bodyText: response.body.toString("utf8") }];
      }),
    ),
  };
}

describe("Function URL payload format 2.0 (golden, UPDATE_GOLDEN=1 to regenerate)", () => {
  it("maps requests to events and results to responses as the golden file records", () => {
    const actual = `${JSON.stringify(rendered(), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("keeps cookies out of headers, joins repeated headers and query keys with commas, and base64s binary bodies", () => {
    const event = eventFromUrlRequest(requests.documentedPost!, context);
    expect(event.cookies).toEqual(["cookie1=value1", "cookie2=value2"]);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers["x-multi"]).toBe("a,b");
    expect(event.queryStringParameters).toEqual({ parameter1: "value1,value2", parameter2: "value" });
    expect(event.rawQueryString).toBe("parameter1=value1&parameter1=value2&parameter2=value");
    expect(event.isBase64Encoded).toBe(false);
    expect(eventFromUrlRequest(requests.binaryBody!, context)).toMatchObject({ body: "AAEC/w==", isBase64Encoded: true });
    expect(isHttpEventV2(event)).toBe(true);
    expect(isHttpEventV2({ jsonrpc: "2.0", id: 1, method: "tools/list" })).toBe(false);
  });

  it("formats requestContext.time as AWS does", () => {
    expect(formatRequestTime(Date.UTC(2020, 2, 12, 19, 3, 58))).toBe("12/Mar/2020:19:03:58 +0000");
  });

  it("round-trips through the function's side: event → Request → Response → result → HTTP response", async () => {
    const event = eventFromUrlRequest(requests.documentedPost!, context);
    const request = requestFromEvent(event);
    expect(request.url).toBe("https://abcdefg.lambda-url.us-east-1.on.aws/my/path?parameter1=value1&parameter1=value2&parameter2=value");
    expect(request.headers.get("cookie")).toBe("cookie1=value1; cookie2=value2");
    expect(await request.text()).toBe('{"hello":"world"}');

    const headers = new Headers({ "content-type": "application/octet-stream" });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    const result = await resultFromResponse(new Response(new Uint8Array([0, 1, 2, 255]), { status: 202, headers }));
    expect(result).toMatchObject({ statusCode: 202, cookies: ["a=1", "b=2"], isBase64Encoded: true, body: "AAEC/w==" });
    const response = responseFromResult(Buffer.from(JSON.stringify(result)));
    expect(response.statusCode).toBe(202);
    expect([...response.body]).toEqual([0, 1, 2, 255]);
    expect(response.headers.filter(([name]) => name === "set-cookie").map(([, value]) => value)).toEqual(["a=1", "b=2"]);
  });
});
