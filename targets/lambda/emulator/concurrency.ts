/**
 * Reserved concurrency as Lambda documents it, and the emulator's one extra limit.
 *
 * Concurrency is the number of in-flight invocations, not of environments (AWS: "concurrency is the
 * number of in-flight requests that your function is currently handling"). An invocation holds its
 * slot from admission until its response is complete; a throttled invocation holds none, never starts
 * an environment and is never cold. The limit read at admission is the function's current one: a
 * reservation changed while invocations are in flight applies to new ones, and in-flight ones finish.
 *
 * - A reserved function may have at most `reservedConcurrency` in flight (0 throttles every invoke):
 *   429 ReservedFunctionConcurrentInvocationLimitExceeded.
 * - Unreserved functions share the account limit minus every reservation: 429
 *   ConcurrentInvocationLimitExceeded. The emulator can run only `maxEnvironments` environments at
 *   once, so its unreserved pool is `min(accountLimit, maxEnvironments)` minus the reservations; when
 *   its own cap (not Lambda's) is what throttles, the 429's message says so.
 * - PutFunctionConcurrency refuses a reservation that leaves fewer than 100 executions unreserved
 *   (AWS's wording), and one the emulator could not honour (all reservations above `maxEnvironments`).
 */
import { invalidParameterValue, tooManyRequests, unreservedBelowMinimum, validationException, type ThrottleReason } from "./api-errors.js";

/** Lambda's default concurrency limit per account and Region. */
export const DEFAULT_ACCOUNT_CONCURRENCY_LIMIT = 1000;
/** Lambda keeps this many executions unreserved (the whole limit on accounts below it: "[10]" where the limit is 10). */
const MIN_UNRESERVED_CONCURRENCY = 100;
/** The member's name as the API model spells it in validation messages. */
const RESERVED_MEMBER = "reservedConcurrentExecutions";

export interface ConcurrencyLimits {
  /** The account's concurrency limit the emulator answers for (Lambda's default: 1,000). */
  readonly accountLimit: number;
  /** The emulator's cap on live execution environments: what it can really run at once. */
  readonly maxEnvironments: number;
}

/** What admission needs of a function: its name and its reservation now. */
export interface ConcurrencySubject {
  readonly name: string;
  readonly reservedConcurrency: number | undefined;
}

/** The smallest unreserved concurrency Lambda lets reservations leave. */
export function minimumUnreservedConcurrency(accountLimit: number): number {
  return Math.min(MIN_UNRESERVED_CONCURRENCY, accountLimit);
}

/**
 * PutFunctionConcurrency's `ReservedConcurrentExecutions`, checked as the API model constrains it
 * (integer ≥ 0, required): otherwise 400 ValidationException, before the function is even looked up.
 */
export function parseReservedConcurrentExecutions(body: unknown): number {
  const value: unknown = typeof body === "object" && body !== null && "ReservedConcurrentExecutions" in body ? body.ReservedConcurrentExecutions : undefined;
  if (value === undefined || value === null) throw validationException(RESERVED_MEMBER, "null", "Member must not be null");
  if (typeof value !== "number" || !Number.isInteger(value)) throw validationException(RESERVED_MEMBER, `'${String(value)}'`, "Member must be an integer");
  if (value < 0) throw validationException(RESERVED_MEMBER, `'${value}'`, "Member must have value greater than or equal to 0");
  return value;
}

/**
 * Throws unless `requested` can be reserved next to `reservedByOthers` (the other functions'
 * reservations; the function's own current one is replaced, not added). Lambda's rule first, with its
 * message; then the emulator's: every reservation together must fit in its environments.
 */
export function checkReservation(limits: ConcurrencyLimits, requested: number, reservedByOthers: number): void {
  const minimumUnreserved = minimumUnreservedConcurrency(limits.accountLimit);
  if (limits.accountLimit - reservedByOthers - requested < minimumUnreserved) throw unreservedBelowMinimum(minimumUnreserved);
  if (reservedByOthers + requested > limits.maxEnvironments) {
    const others = reservedByOthers === 0 ? "" : ` plus ${reservedByOthers} reserved by other functions`;
    throw invalidParameterValue(
      `ReservedConcurrentExecutions ${requested}${others} exceeds this emulator's ${limits.maxEnvironments} execution environments (maxEnvironments): it could not honour the reservation (Lambda would accept it). Reserve at most ${limits.maxEnvironments - reservedByOthers}, or start the emulator with a larger maxEnvironments (--max-environments).`,
    );
  }
}

/** One admitted invocation's slot; `release()` (idempotent) when its response is complete. */
export interface ConcurrencyLease {
  release(): void;
}

/** In-flight invocations per function and in the unreserved pool: the throttle decision. */
export class ConcurrencyLedger {
  readonly #limits: ConcurrencyLimits;
  readonly #inFlight = new Map<string, number>();
  #unreservedInFlight = 0;
  readonly #throttled = new Map<ThrottleReason, number>();

  constructor(limits: ConcurrencyLimits) {
    this.#limits = limits;
  }

  get limits(): ConcurrencyLimits {
    return this.#limits;
  }

  /** Invocations of `functionName` in flight now. */
  inFlight(functionName: string): number {
    return this.#inFlight.get(functionName) ?? 0;
  }

  /** Throttled invocations since start, by Reason. */
  throttles(): Readonly<Partial<Record<ThrottleReason, number>>> {
    return Object.fromEntries(this.#throttled);
  }

  /**
   * Admits one invocation of `fn` under its reservation now, or throws 429 TooManyRequestsException.
   * `reservedTotal` is every function's reservation summed (the unreserved pool is what is left).
   */
  admit(fn: ConcurrencySubject, reservedTotal: number): ConcurrencyLease {
    const current = this.inFlight(fn.name);
    const unreserved = fn.reservedConcurrency === undefined;
    if (!unreserved && current >= (fn.reservedConcurrency ?? 0)) this.#throttle("ReservedFunctionConcurrentInvocationLimitExceeded");
    if (unreserved) {
      if (this.#unreservedInFlight >= this.#limits.accountLimit - reservedTotal) this.#throttle("ConcurrentInvocationLimitExceeded");
      if (this.#unreservedInFlight >= this.#limits.maxEnvironments - reservedTotal) {
        const reserved = reservedTotal === 0 ? "" : `, ${reservedTotal} of them reserved for functions with reserved concurrency`;
        this.#throttle(
          "ConcurrentInvocationLimitExceeded",
          `mcp-deploy-bench emulator: its ${this.#limits.maxEnvironments} execution environments (maxEnvironments) are all in use${reserved}; Lambda's account limit is ${this.#limits.accountLimit}`,
        );
      }
      this.#unreservedInFlight += 1;
    }
    this.#inFlight.set(fn.name, current + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (unreserved) this.#unreservedInFlight -= 1;
        const left = this.inFlight(fn.name) - 1;
        if (left > 0) this.#inFlight.set(fn.name, left);
        else this.#inFlight.delete(fn.name);
      },
    };
  }

  #throttle(reason: ThrottleReason, emulatorNote?: string): never {
    this.#throttled.set(reason, (this.#throttled.get(reason) ?? 0) + 1);
    throw tooManyRequests(reason, emulatorNote);
  }
}
