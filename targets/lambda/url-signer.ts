/**
 * SigV4 signing of requests to an AWS_IAM Function URL (service `lambda`), with the SDK's own signer
 * (@smithy/signature-v4) and SHA-256 from node:crypto. Headers in, headers out: the MCP HTTP client's
 * fetch (../http-client.ts `signRequest`) sends them. Credentials: the default provider chain on aws
 * (resolved, and refreshed, by the signer), static ones for the local backends (which check only the
 * signature's shape).
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from "@smithy/types";
import type { RequestSigner } from "../http-client.js";

/** The `Checksum` the signer wants: SHA-256, or HMAC-SHA-256 when constructed with a secret. */
class NodeSha256 implements Checksum {
  #hash: Hash | Hmac;
  readonly #secret: SourceData | undefined;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  static #create(secret: SourceData | undefined): Hash | Hmac {
    return secret === undefined ? createHash("sha256") : createHmac("sha256", typeof secret === "string" ? secret : Buffer.from(secret instanceof ArrayBuffer ? new Uint8Array(secret) : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)));
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }
}

export interface UrlRequestToSign {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export class FunctionUrlSigner {
  readonly #signer: SignatureV4;

  constructor(region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
    this.#signer = new SignatureV4({ service: "lambda", region, credentials, sha256: NodeSha256 });
  }

  /** The request's headers plus `authorization`, `x-amz-date`, `x-amz-content-sha256` (and the session token when there is one). */
  async sign(request: UrlRequestToSign): Promise<Record<string, string>> {
    const url = new URL(request.url);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const signed = await this.#signer.sign({
      method: request.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === "" ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return { ...signed.headers };
  }
}

/** The MCP HTTP client's `signRequest` for an AWS_IAM Function URL in `region`. */
export function urlRequestSigner(region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): RequestSigner {
  const signer = new FunctionUrlSigner(region, credentials);
  return (request) => signer.sign(request);
}
