/**
 * One instance (the warm container, the warm process) started on first use and shared by every caller.
 * A start that fails is forgotten, so the next caller tries again instead of inheriting the old error.
 */
export class SharedStart<T> {
  #pending: Promise<T> | undefined;

  get(start: () => Promise<T>): Promise<T> {
    if (this.#pending === undefined) {
      const pending = start();
      this.#pending = pending;
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  /** The started (or starting) instance, forgotten here: the caller now owns its teardown. */
  take(): Promise<T> | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }
}
