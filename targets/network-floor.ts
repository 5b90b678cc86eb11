/**
 * The network floor of a remote target (DESIGN.md "Remote is not local"): TCP connect times from this
 * machine to the host its calls go to, a few in a row, each bounded. A connect is one round trip, the
 * least any call across that network pays; the report shows it next to remote figures so a remote target
 * is never compared with a loopback one without it. Measured in the same run, at provisioning.
 */
import { connect } from "node:net";
import { describeError } from "../core/errors.js";
import { NETWORK_FLOOR_DETAILS } from "../core/target-description.js";

export interface NetworkFloor {
  readonly host: string;
  readonly p50Ms: number;
  readonly minMs: number;
  readonly samples: number;
}

export interface NetworkFloorOptions {
  /** Connects made one after another (default 5). */
  readonly samples?: number;
  /** Bound on each connect (default 5,000 ms). */
  readonly connectTimeoutMs?: number;
  /** Tests: the clock (ms); default performance.now. */
  readonly nowMs?: () => number;
}

function connectOnce(host: string, port: number, timeoutMs: number, nowMs: () => number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      const elapsedMs = nowMs() - start;
      socket.destroy();
      resolve(elapsedMs);
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`TCP connect to ${host}:${port} took longer than ${timeoutMs} ms`));
    });
    socket.once("error", (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/** The floor to `host:port`, or why it could not be measured (never throws: the floor is context, not a precondition). */
export async function measureNetworkFloor(host: string, port: number, options: NetworkFloorOptions = {}): Promise<NetworkFloor | { readonly error: string }> {
  const samples = options.samples ?? 5;
  const nowMs = options.nowMs ?? (() => performance.now());
  const timesMs: number[] = [];
  try {
    for (let index = 0; index < samples; index++) timesMs.push(await connectOnce(host, port, options.connectTimeoutMs ?? 5_000, nowMs));
  } catch (error) {
    return { error: `network floor to ${host}:${port} not measured: ${describeError(error)}` };
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  return { host: `${host}:${port}`, p50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, minMs: sorted[0] ?? 0, samples };
}

/** The floor as TargetDescription details (NETWORK_FLOOR_DETAILS keys), or the reason it is missing. */
export function networkFloorDetails(floor: NetworkFloor | { readonly error: string }): Record<string, string | number> {
  if ("error" in floor) return { networkFloorError: floor.error };
  return { [NETWORK_FLOOR_DETAILS.host]: floor.host, [NETWORK_FLOOR_DETAILS.p50Ms]: floor.p50Ms, [NETWORK_FLOOR_DETAILS.minMs]: floor.minMs, [NETWORK_FLOOR_DETAILS.samples]: floor.samples };
}
