/**
 * The real thing: functions in an AWS account. Credentials come from the SDK's default chain
 * (env vars, AWS_PROFILE, SSO, instance/task role) and are never logged or described; the execution
 * role is config (`lambda.backend.roleArn`), needing only AWSLambdaBasicExecutionRole. The same chain
 * signs requests to an AWS_IAM Function URL (SigV4), and reads REPORT lines of URL calls from CloudWatch
 * Logs (FilterLogEvents: the credentials need logs:FilterLogEvents on /aws/lambda/mcp-deploy-bench-*).
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { CLOUDWATCH_REPORT_WAITS, cloudWatchInvocationLog, createLogsClient } from "../cloudwatch-logs.js";
import { urlRequestSigner } from "../url-signer.js";
import { HarnessError } from "../../../core/errors.js";
import { assembleBackend, type LambdaBackend } from "../backend.js";
import { createLambdaClient, type WaitLimits } from "../functions.js";
import { AWS_REGION_PATTERN, EXAMPLE_ROLE_ARN, IAM_ROLE_ARN_PATTERN } from "../../../core/constants.js";

export interface AwsBackendOptions {
  readonly region: string;
  readonly roleArn: string;
  readonly waits: WaitLimits;
  readonly log?: (line: string) => void;
  /** Tests: a client over recorded responses instead of the default-chain client (then no network floor is measured: the client has no real endpoint). */
  readonly client?: LambdaClient;
  /** Tests: a CloudWatch Logs client over recorded responses. */
  readonly logsClient?: CloudWatchLogsClient;
  /** Tests: the credentials URL requests are signed with, instead of the default chain. */
  readonly urlCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}


export async function startAwsBackend(options: AwsBackendOptions): Promise<LambdaBackend> {
  const region = options.region?.trim() ?? "";
  const roleArn = options.roleArn?.trim() ?? "";
  if (region === "" || !AWS_REGION_PATTERN.test(region)) {
    throw new HarnessError("CONFIG_INVALID", `lambda.backend.region is ${region === "" ? "missing" : `"${region}", not an AWS region`} (required for the aws backend).`, {
      hint: 'Set lambda.backend.region in the scenario file, e.g. "us-east-1".',
    });
  }
  if (roleArn === "" || !IAM_ROLE_ARN_PATTERN.test(roleArn)) {
    throw new HarnessError("CONFIG_INVALID", `lambda.backend.roleArn is ${roleArn === "" ? "missing" : "not an IAM role ARN"} (required for the aws backend).`, {
      hint: 'Set lambda.backend.roleArn to a role Lambda can assume, e.g. "${EXAMPLE_ROLE_ARN}" with AWSLambdaBasicExecutionRole attached.',
    });
  }
  const client = options.client ?? createLambdaClient({ region });
  const logs = cloudWatchInvocationLog(options.logsClient ?? createLogsClient({ region }), CLOUDWATCH_REPORT_WAITS.aws);
  const roleName = roleArn.slice(roleArn.indexOf(":role/") + ":role/".length);
  return assembleBackend({
    invocationLog: logs,
    ...(options.client === undefined ? { remoteApiHost: `lambda.${region}.amazonaws.com` } : {}),
    signUrlRequest: urlRequestSigner(region, options.urlCredentials ?? defaultProvider()),
    stop: async () => logs.close(),
    name: "aws",
    fidelity: "full",
    client,
    roleArn,
    waits: options.waits,
    log: options.log,
    describe: () => ({ region, executionRole: roleName, credentials: "default provider chain" }),
  });
}
