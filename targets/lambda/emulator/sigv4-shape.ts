/**
 * What the emulator checks of a request to an AWS_IAM Function URL: that it carries a well-formed
 * SigV4 signature for the `lambda` service — an `Authorization: AWS4-HMAC-SHA256 Credential=…/<date>/
 * <region>/lambda/aws4_request, SignedHeaders=…host…, Signature=<64 hex>` header and an `X-Amz-Date`
 * of the same day. Lambda also recomputes the signature with the caller's secret key; the emulator
 * accepts any credentials, so it cannot (and does not claim to) verify the signature itself.
 */

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

export interface SigV4Caller {
  readonly accessKeyId: string;
  readonly region: string;
}

/** The caller a well-formed signature names, or why the request is refused (Lambda answers 403 either way). */
export function checkSigV4Shape(authorization: string | undefined, amzDate: string | undefined): { ok: true; caller: SigV4Caller } | { ok: false; reason: string } {
  if (authorization === undefined) return { ok: false, reason: "no Authorization header (an AWS_IAM URL needs a SigV4-signed request)" };
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null) return { ok: false, reason: "the Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature" };
  const [, accessKeyId = "", date = "", region = "", service = "", signedHeaders = ""] = match;
  if (service !== "lambda") return { ok: false, reason: `the signature is for service "${service}", not "lambda"` };
  if (!signedHeaders.split(";").includes("host")) return { ok: false, reason: "the signature does not cover the host header" };
  const amzDateMatch = AMZ_DATE.exec(amzDate ?? "");
  if (amzDateMatch === null) return { ok: false, reason: "no well-formed X-Amz-Date header (yyyymmddThhmmssZ)" };
  if (amzDateMatch[1] !== date) return { ok: false, reason: "the credential scope's date differs from X-Amz-Date" };
  return { ok: true, caller: { accessKeyId, region } };
}
