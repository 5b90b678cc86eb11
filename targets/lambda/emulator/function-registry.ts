/**
 * The functions the emulator knows: configuration, state (Pending → Active, LastUpdateStatus
 * InProgress → Successful after a short, fixed delay), reserved concurrency, tags. State is computed
 * from timestamps on read, so no timers are left running. Each configuration change bumps
 * `generation`: environments of an older generation are retired (the next invoke is cold).
 */
import { randomUUID } from "node:crypto";
import { functionPending, resourceConflict, resourceNotFound, updateInProgress } from "./api-errors.js";

export const DEFAULT_REGION = "us-east-1";
/** LocalStack's convention: an account id that is obviously not a real one. */
const EMULATOR_ACCOUNT_ID = "000000000000";
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_SIZE_MB = 128;
/** How long a created function stays Pending and an update InProgress. */
const DEFAULT_STATE_TRANSITION_MS = 300;

export interface FunctionSpec {
  readonly name: string;
  readonly region: string;
  readonly runtime: string;
  readonly role: string;
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly architectures: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** Unzipped code on disk. */
  readonly codeDir: string;
  readonly codeSizeBytes: number;
  readonly codeSha256: string;
}

export interface ConfigurationUpdate {
  readonly timeoutSeconds?: number;
  readonly memorySizeMb?: number;
  readonly environment?: Readonly<Record<string, string>>;
  readonly handler?: string;
  readonly description?: string;
  readonly role?: string;
  readonly runtime?: string;
}

export interface FunctionRecord extends FunctionSpec {
  readonly arn: string;
  readonly lastModified: string;
  readonly revisionId: string;
  readonly reservedConcurrency: number | undefined;
  /** Bumped on every configuration change; environments of older generations are retired. */
  readonly generation: number;
  readonly activeAtMs: number;
  /** Set when an update was requested; Successful from this time on. */
  readonly updateDoneAtMs: number | undefined;
}

export type FunctionState = "Pending" | "Active";
export type LastUpdateStatus = "InProgress" | "Successful";

export function functionArn(region: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT_ID}:function:${name}${qualifier === undefined ? "" : `:${qualifier}`}`;
}

/** `my-fn`, `arn:aws:lambda:r:acct:function:my-fn[:qualifier]` or `acct:function:my-fn` → name (+ qualifier). */
export function parseFunctionIdentifier(identifier: string): { name: string; qualifier: string | undefined } {
  const match = /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(?::([$A-Za-z0-9_-]+))?$/.exec(identifier);
  if (match?.[1] === undefined) return { name: identifier, qualifier: undefined };
  return { name: match[1], qualifier: match[2] };
}

/** "2022-02-24T19:19:58.000+0000", as Lambda prints LastModified. */
function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

export interface FunctionRegistryOptions {
  readonly stateTransitionMs?: number;
  readonly nowMs?: () => number;
}

export class FunctionRegistry {
  readonly #functions = new Map<string, FunctionRecord>();
  readonly #stateTransitionMs: number;
  readonly #nowMs: () => number;

  constructor(options: FunctionRegistryOptions = {}) {
    this.#stateTransitionMs = options.stateTransitionMs ?? DEFAULT_STATE_TRANSITION_MS;
    this.#nowMs = options.nowMs ?? (() => Date.now());
  }

  create(spec: FunctionSpec): FunctionRecord {
    if (this.#functions.has(spec.name)) throw resourceConflict(`Function already exist: ${spec.name}`);
    const now = this.#nowMs();
    const record: FunctionRecord = {
      ...spec,
      arn: functionArn(spec.region, spec.name),
      lastModified: lambdaTimestamp(new Date(now)),
      revisionId: randomUUID(),
      reservedConcurrency: undefined,
      generation: 1,
      activeAtMs: now + this.#stateTransitionMs,
      updateDoneAtMs: undefined,
    };
    this.#functions.set(spec.name, record);
    return record;
  }

  /** Throws ResourceNotFoundException (ARN as AWS prints it) when unknown. */
  get(name: string, region: string, arnQualifier?: string): FunctionRecord {
    const record = this.#functions.get(name);
    if (record === undefined) throw resourceNotFound(functionArn(region, name, arnQualifier));
    return record;
  }

  has(name: string): boolean {
    return this.#functions.has(name);
  }

  list(): FunctionRecord[] {
    return [...this.#functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  findByArn(arn: string): FunctionRecord | undefined {
    const { name } = parseFunctionIdentifier(arn);
    return this.#functions.get(name);
  }

  state(record: FunctionRecord): FunctionState {
    return this.#nowMs() >= record.activeAtMs ? "Active" : "Pending";
  }

  lastUpdateStatus(record: FunctionRecord): LastUpdateStatus {
    return record.updateDoneAtMs === undefined || this.#nowMs() >= record.updateDoneAtMs ? "Successful" : "InProgress";
  }

  /** Throws 409 while Pending (invoke and updates fail in that state). */
  assertActive(record: FunctionRecord): void {
    if (this.state(record) === "Pending") throw functionPending(record.arn);
  }

  updateConfiguration(name: string, region: string, update: ConfigurationUpdate): FunctionRecord {
    const current = this.get(name, region);
    this.assertActive(current);
    if (this.lastUpdateStatus(current) === "InProgress") throw updateInProgress(current.arn);
    const now = this.#nowMs();
    const next: FunctionRecord = {
      ...current,
      timeoutSeconds: update.timeoutSeconds ?? current.timeoutSeconds,
      memorySizeMb: update.memorySizeMb ?? current.memorySizeMb,
      environment: update.environment ?? current.environment,
      handler: update.handler ?? current.handler,
      runtime: update.runtime ?? current.runtime,
      description: update.description ?? current.description,
      role: update.role ?? current.role,
      lastModified: lambdaTimestamp(new Date(now)),
      revisionId: randomUUID(),
      generation: current.generation + 1,
      updateDoneAtMs: now + this.#stateTransitionMs,
    };
    this.#functions.set(name, next);
    return next;
  }

  /** Every function's reserved concurrency summed, leaving out `exceptName` (whose reservation a Put replaces). */
  reservedTotal(exceptName?: string): number {
    let total = 0;
    for (const record of this.#functions.values()) if (record.name !== exceptName) total += record.reservedConcurrency ?? 0;
    return total;
  }

  /** Sets (a number) or removes (undefined) the reservation; callers check it first (concurrency.ts). */
  setReservedConcurrency(name: string, region: string, reserved: number | undefined): FunctionRecord {
    const current = this.get(name, region, "$LATEST");
    const next: FunctionRecord = { ...current, reservedConcurrency: reserved };
    this.#functions.set(name, next);
    return next;
  }

  tag(name: string, tags: Readonly<Record<string, string>>): FunctionRecord | undefined {
    const current = this.#functions.get(name);
    if (current === undefined) return undefined;
    const next: FunctionRecord = { ...current, tags: { ...current.tags, ...tags } };
    this.#functions.set(name, next);
    return next;
  }

  untag(name: string, keys: readonly string[]): FunctionRecord | undefined {
    const current = this.#functions.get(name);
    if (current === undefined) return undefined;
    const tags = Object.fromEntries(Object.entries(current.tags).filter(([key]) => !keys.includes(key)));
    const next: FunctionRecord = { ...current, tags };
    this.#functions.set(name, next);
    return next;
  }

  delete(name: string, region: string): FunctionRecord {
    const current = this.get(name, region);
    this.#functions.delete(name);
    return current;
  }
}

/** FunctionConfiguration as AWS returns it (LAMBDA-CONTRACT §1). `listing` omits State/LastUpdateStatus like ListFunctions. */
export function functionConfiguration(registry: FunctionRegistry, record: FunctionRecord, options: { listing?: boolean } = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    FunctionName: record.name,
    FunctionArn: record.arn,
    Runtime: record.runtime,
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSizeBytes,
    Description: record.description,
    Timeout: record.timeoutSeconds,
    MemorySize: record.memorySizeMb,
    LastModified: record.lastModified,
    CodeSha256: record.codeSha256,
    Version: "$LATEST",
    Environment: { Variables: { ...record.environment } },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: record.revisionId,
    PackageType: "Zip",
    Architectures: [...record.architectures],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${record.name}` },
  };
  if (options.listing === true) return base;
  const state = registry.state(record);
  if (state === "Pending") {
    return { ...base, State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" };
  }
  const update = registry.lastUpdateStatus(record);
  if (record.updateDoneAtMs !== undefined && update === "InProgress") {
    return {
      ...base,
      State: "Active",
      LastUpdateStatus: "InProgress",
      LastUpdateStatusReason: "The function is being created.",
      LastUpdateStatusReasonCode: "Creating",
    };
  }
  return { ...base, State: "Active", LastUpdateStatus: "Successful" };
}
