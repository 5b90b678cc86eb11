import { describe, expect, it } from "vitest";
import { HarnessError } from "../../core/errors.js";
import { albLcus, breakEvenCallsPerMonth, containerMonthlyUsd, fargateTaskSize, lambdaMonthlyUsd, type ContainerCostInputs } from "./model.js";
import { DEFAULT_PRICES, resolvePrices } from "./prices.js";

const prices = DEFAULT_PRICES;
const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / expected;

describe("Lambda monthly cost (hand-computed)", () => {
  it("x86, 1024 MB, 10 ms billed, no cold starts, 1 M calls: $0.20 requests + 10,000 GB-s", () => {
    const inputs = { memoryMb: 1024, architecture: "x86_64" as const, warmBilledMs: 10, coldInitBilledMs: 200, frontDoor: "function-url" as const };
    // 1e6 × $0.20/1e6 = 0.20; 1e6 × 0.010 s × 1 GB = 10,000 GB-s × 0.0000166667 = 0.166667
    expect(relative(lambdaMonthlyUsd(1e6, 0, inputs, prices), 0.366667)).toBeLessThan(1e-5);
    // API Gateway HTTP API adds $1.00 per million calls
    expect(relative(lambdaMonthlyUsd(1e6, 0, { ...inputs, frontDoor: "api-gateway-http" }, prices), 1.366667)).toBeLessThan(1e-5);
  });

  it("arm64, 512 MB, half the calls cold: the initialising invoke adds a request and its billed INIT", () => {
    const inputs = { memoryMb: 512, architecture: "arm64" as const, warmBilledMs: 100, coldInitBilledMs: 500, frontDoor: "function-url" as const };
    // 2e6 calls, 1e6 cold starts: 3e6 requests = 0.60; (2e6 × 0.1 s + 1e6 × 0.5 s) × 0.5 GB = 350,000 GB-s × 0.0000133334 = 4.66669
    expect(relative(lambdaMonthlyUsd(2e6, 0.5, inputs, prices), 5.26669)).toBeLessThan(1e-5);
  });
});

describe("container monthly cost (hand-computed)", () => {
  const container: ContainerCostInputs = { vcpus: 1, memoryGb: 2, replicas: 1, architecture: "x86_64", bytesPerCall: 0 };

  it("1 vCPU / 2 GB task, one replica, an ALB, no traffic: (0.04048 + 2 × 0.004445 + 0.0225) × 730 h", () => {
    expect(relative(containerMonthlyUsd(0, container, prices), 52.4651)).toBeLessThan(1e-6);
    expect(relative(containerMonthlyUsd(0, { ...container, replicas: 3 }, prices), (3 * (0.04048 + 0.00889) + 0.0225) * 730)).toBeLessThan(1e-9);
  });

  it("arm64 tasks use Fargate's Graviton prices", () => {
    expect(relative(containerMonthlyUsd(0, { ...container, architecture: "arm64" }, prices), (0.03238 + 2 * 0.00356 + 0.0225) * 730)).toBeLessThan(1e-9);
  });

  it("ALB capacity units: the larger of rule evaluations (1,000/s) and processed bytes (1 GB/h)", () => {
    const callsPerMonth = 2_628_000_000; // 1,000 calls/s over a 730-hour month
    expect(albLcus(callsPerMonth, 0)).toBeCloseTo(1, 9);
    // 1,000 calls/s × 4,096 bytes × 3,600 s = 14.7456 GB/h
    expect(albLcus(callsPerMonth, 4096)).toBeCloseTo(14.7456, 6);
  });
});

describe("break-even volume", () => {
  it("x86 1024 MB at 10 ms: Lambda costs more than one 1 vCPU / 2 GB task + ALB above ≈144 M calls/month", () => {
    const lambda = { memoryMb: 1024, architecture: "x86_64" as const, warmBilledMs: 10, coldInitBilledMs: 10, frontDoor: "function-url" as const };
    const container: ContainerCostInputs = { vcpus: 1, memoryGb: 2, replicas: 1, architecture: "x86_64", bytesPerCall: 0 };
    const breakEven = breakEvenCallsPerMonth((calls) => lambdaMonthlyUsd(calls, 0, lambda, prices), (calls) => containerMonthlyUsd(calls, container, prices));
    // Lambda per call: 0.2e-6 + 0.01 × 0.0000166667 = 3.66667e-7; ALB per call: 0.008 × 730 / (2,628,000 × 1,000) = 2.2222e-9
    const expected = 52.4651 / (3.66667e-7 - 2.22222e-9);
    expect(breakEven).toBeDefined();
    expect(relative(breakEven ?? 0, expected)).toBeLessThan(1e-4);
  });

  it("is undefined when Lambda is never dearer, or dearer from the first call", () => {
    expect(breakEvenCallsPerMonth(() => 0, () => 1)).toBeUndefined();
    expect(breakEvenCallsPerMonth(() => 2, () => 1)).toBeUndefined();
  });
});

describe("Fargate task size", () => {
  it("rounds the bench's CPU share and memory up to a size Fargate sells", () => {
    expect(fargateTaskSize(1024 / 1769, 1024)).toEqual({ vcpus: 1, memoryGb: 2 });
    expect(fargateTaskSize(0.25, 512)).toEqual({ vcpus: 0.25, memoryGb: 0.5 });
    expect(fargateTaskSize(2, 1024)).toEqual({ vcpus: 2, memoryGb: 4 });
    expect(fargateTaskSize(0.25, 3 * 1024)).toEqual({ vcpus: 0.5, memoryGb: 3 });
    expect(fargateTaskSize(20, 1024)).toBeUndefined();
  });
});

describe("price overrides", () => {
  it("merge a partial override into the dated defaults", () => {
    const resolved = resolvePrices({ asOf: "2027-01-01", lambda: { perGbSecondX86Usd: 0.00002 } });
    expect(resolved.asOf).toBe("2027-01-01");
    expect(resolved.lambda.perGbSecondX86Usd).toBe(0.00002);
    expect(resolved.lambda.perMillionRequestsUsd).toBe(DEFAULT_PRICES.lambda.perMillionRequestsUsd);
  });

  it("refuse bad values and unknown keys, naming each", () => {
    const attempt = (): unknown => resolvePrices({ lambda: { perGbSecondX86Usd: -1 }, fargat: {} }, "prices.json");
    expect(attempt).toThrow(HarnessError);
    expect(attempt).toThrow(/prices\.json is not valid: .*lambda\.perGbSecondX86Usd.*fargat/);
  });
});
