/** Counts abort listeners added to and removed from a signal (Node exposes no listener count for EventTarget). */
export interface ListenerCounts {
  readonly added: number;
  readonly removed: number;
}

export function countAbortListeners(signal: AbortSignal): () => ListenerCounts {
  let added = 0;
  let removed = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<AbortSignal["addEventListener"]>) => {
    added++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<AbortSignal["removeEventListener"]>) => {
    removed++;
    remove(...args);
  };
  return () => ({ added, removed });
}
