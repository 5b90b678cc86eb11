/**
 * The open loop's `queue` late policy: calls due while every client is busy wait here, first in first
 * out, for a free client. The line is bounded twice, so an overloaded target cannot grow it without
 * limit: in length (a call that finds it full is dropped) and in waiting time (a call that has waited
 * longer than the limit is dropped when it reaches the front). Every call it gives up is handed to
 * `onDropped` with the reason, never silently discarded.
 */
import type { DroppedBy } from "../../core/phase-result.js";

export type DropReason = keyof DroppedBy;

export class WaitingCalls {
  /** Intended send times, oldest first; `#head` is the front (no O(n) shift per call). */
  #intendedNs: bigint[] = [];
  #head = 0;

  constructor(
    private readonly maxWaiting: number,
    private readonly maxWaitNs: bigint,
    private readonly onDropped: (intendedNs: bigint, reason: DropReason) => void,
  ) {}

  get length(): number {
    return this.#intendedNs.length - this.#head;
  }

  /** Queues a call due at `intendedNs`; when the line is full it is dropped instead (false). */
  offer(intendedNs: bigint, nowNs: bigint): boolean {
    this.#dropExpired(nowNs);
    if (this.length >= this.maxWaiting) {
      this.onDropped(intendedNs, "queueFull");
      return false;
    }
    this.#intendedNs.push(intendedNs);
    return true;
  }

  /** The intended send time of the oldest call that has not waited too long; those that have are dropped on the way. */
  take(nowNs: bigint): bigint | undefined {
    this.#dropExpired(nowNs);
    if (this.length === 0) return undefined;
    const intendedNs = this.#intendedNs[this.#head];
    this.#head++;
    this.#compact();
    return intendedNs;
  }

  /** Drops every call still waiting (the phase's window has ended); those that waited too long say so. */
  drain(nowNs: bigint): void {
    this.#dropExpired(nowNs);
    for (let index = this.#head; index < this.#intendedNs.length; index++) this.onDropped(this.#intendedNs[index] ?? 0n, "phaseEnd");
    this.#intendedNs = [];
    this.#head = 0;
  }

  #dropExpired(nowNs: bigint): void {
    while (this.length > 0) {
      const oldestNs = this.#intendedNs[this.#head] ?? nowNs;
      if (nowNs - oldestNs <= this.maxWaitNs) break;
      this.onDropped(oldestNs, "waitedTooLong");
      this.#head++;
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#intendedNs.length) {
      this.#intendedNs = this.#intendedNs.slice(this.#head);
      this.#head = 0;
    }
  }
}
