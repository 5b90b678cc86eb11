/**
 * What a target did over the run, counted by the target itself: instances it started, requests it
 * served, and how many of those a fresh instance answered. Read by the runner after the run.
 */
import type { CallResult, InvokeReport } from "../core/calls.js";
import type { TargetActivity } from "../core/target-description.js";

export class ActivityCounter {
  #instancesStarted = 0;
  #invocations = 0;
  #coldInvocations = 0;

  /** A container, process or environment started. */
  instanceStarted(): void {
    this.#instancesStarted++;
  }

  /** A request the target answered; a REPORT with Init Duration means a fresh environment answered it. */
  invoked(report?: InvokeReport): void {
    this.#invocations++;
    if (report?.initDurationMs !== undefined) this.#coldInvocations++;
  }

  /**
   * A REPORT found after its call was counted (a Function URL call's, looked up by request id): with
   * Init Duration, a fresh environment started and answered it.
   */
  lateReport(report: InvokeReport): void {
    if (report.initDurationMs === undefined) return;
    this.#coldInvocations++;
    this.#instancesStarted++;
  }

  /** For clients' `onResult`: counts one tools/call. */
  readonly onResult = (result: CallResult): void => this.invoked(result.report);

  snapshot(options: { readonly countsColdInvocations: boolean }): TargetActivity {
    return {
      instancesStarted: this.#instancesStarted,
      invocations: this.#invocations,
      ...(options.countsColdInvocations ? { coldInvocations: this.#coldInvocations } : {}),
    };
  }
}
