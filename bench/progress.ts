/**
 * Progress for long runs: on a terminal one status line rewritten in place; elsewhere (CI logs,
 * pipes) plain lines, throttled so a 10-minute phase does not print thousands of them.
 */
import type { Writable } from "node:stream";

export interface Progress {
  /** A permanent line (phase finished, warnings). */
  info(line: string): void;
  /** A transient status that replaces the previous one. */
  status(text: string): void;
  /** Clears the status line. */
  clear(): void;
}

export interface ProgressOptions {
  readonly stream: Writable & { isTTY?: boolean; columns?: number };
  /** Rewrite one line in place (a TTY); otherwise print plain lines. */
  readonly interactive: boolean;
  /** Non-interactive: at most one status line per this interval (the same text is never repeated). */
  readonly plainIntervalMs?: number;
  readonly now?: () => number;
}

export function createProgress(options: ProgressOptions): Progress {
  const { stream } = options;
  const now = options.now ?? Date.now;
  const plainIntervalMs = options.plainIntervalMs ?? 5000;
  let statusShown = false;
  let lastPlainAtMs = Number.NEGATIVE_INFINITY;
  let lastPlainText = "";

  const clear = (): void => {
    if (options.interactive && statusShown) stream.write("\r\u001b[2K");
    statusShown = false;
  };
  return {
    info(line) {
      clear();
      stream.write(`${line}\n`);
    },
    status(text) {
      if (options.interactive) {
        const width = Math.max(20, (stream.columns ?? 100) - 1);
        stream.write(`\r\u001b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
        statusShown = true;
        return;
      }
      const at = now();
      if (text === lastPlainText || at - lastPlainAtMs < plainIntervalMs) return;
      lastPlainAtMs = at;
      lastPlainText = text;
      stream.write(`  … ${text}\n`);
    },
    clear,
  };
}

/** "[#####-----] 5.1/10.0 s" */
export function progressBar(elapsedMs: number, totalMs: number, width = 20): string {
  const fraction = totalMs > 0 ? Math.min(1, Math.max(0, elapsedMs / totalMs)) : 1;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(elapsedMs / 1000).toFixed(1)}/${(totalMs / 1000).toFixed(1)} s`;
}
