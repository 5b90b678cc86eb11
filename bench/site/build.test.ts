/**
 * The site built from a history of several nights: trend charts with a point (linking to its night's
 * report) per night and series, regressions ringed, the runner's CPU per night; then opened in a real
 * headless Chromium: no console errors, SVG marks rendered, a screenshot saved as an artifact.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../../core/results.js";
import { compareWithRecentNights } from "../../reports/compare-nights.js";
import { estimateCost } from "../../reports/cost/estimate.js";
import { DEFAULT_PRICES } from "../../reports/cost/prices.js";
import { REFERENCE_CALLS_PER_MONTH } from "../../reports/cost/reference-volume.js";
import { summarize } from "../../reports/summary.js";
import { trendPoints } from "../../reports/trends.js";
import { describeRequiring } from "../../test/helpers/gate.js";
import { PROJECT_ROOT } from "../../test/helpers/cli.js";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { scaleTarget, withThroughputPhase } from "../../test/helpers/results-transform.js";
import { appendToHistory, COMPARISON_FILE_NAME, writeNightFile } from "../history/store.js";
import { buildSite } from "./build.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_PATH = resolve(PROJECT_ROOT, "artifacts/site.png");

const scratch = mkdtempSync(join(tmpdir(), "site-"));
const history = join(scratch, "history");
const out = join(scratch, "site");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Night `day` of the fixture with a throughput phase on docker and process (process sustaining a little
 * more each night); the last one's lambda twice as slow (a regression) on another CPU.
 */
function night(day: number, last: boolean): Results {
  const docker = withThroughputPhase(buildFixtureResults({ seed: day }), { target: "docker", maxSustainedCallsPerSecond: 1500, seed: day });
  const fixture = withThroughputPhase(docker, { target: "process", maxSustainedCallsPerSecond: 2000 + 100 * day, seed: day });
  const variant = last ? scaleTarget(fixture, "lambda", 2) : fixture;
  return resultsSchema.parse({
    ...variant,
    runId: `2025060${day}-020000-n${day}`,
    startedAt: `2025-06-0${day}T02:00:00.000Z`,
    machine: { ...variant.machine, cpuModel: last ? "Other CPU @ 3.10GHz" : variant.machine.cpuModel },
  });
}

const NIGHTS = 4;
/** p95, cold, achieved rate and maximum sustained throughput with their ratios; Init Duration (lambda only) and monthly cost alone. */
const CHARTS = 10;

beforeAll(async () => {
  const stored: Results[] = [];
  for (let day = 1; day <= NIGHTS; day++) {
    const results = night(day, day === NIGHTS);
    const path = join(scratch, "runs", results.runId, "results.json");
    mkdirSync(join(scratch, "runs", results.runId), { recursive: true });
    writeFileSync(path, JSON.stringify(results));
    await appendToHistory(path, history);
    const comparison = compareWithRecentNights(stored, results);
    if (comparison !== undefined) await writeNightFile(history, results.runId, COMPARISON_FILE_NAME, JSON.stringify(comparison));
    stored.push(results);
  }
  await buildSite(history, out);
}, 120_000);

describe("npm run site", () => {
  it("writes a self-contained index.html with trend charts, every night's report and CPU", () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).not.toMatch(/<script|<link /);
    expect((html.match(/<svg/g) ?? []).length).toBe(CHARTS);
    for (let day = 1; day <= NIGHTS; day++) {
      const href = `nights/2025060${day}-020000-n${day}/report.md`;
      expect(html).toContain(`href="${href}"`);
      expect(existsSync(join(out, href))).toBe(true);
    }
    expect(html).toContain("Other CPU @ 3.10GHz");
    expect(html).toContain("Fixture CPU @ 2.40GHz");
    expect(html).toMatch(/class="regressed">\d+ regressions/);
    expect(html).toContain("÷ process floor");
    expect(html).toContain("Maximum sustained throughput ÷ process floor");
    expect(html).toContain(`Monthly cost at 1M calls (prices as of ${DEFAULT_PRICES.asOf})`);
    expect(html.includes("Monthly cost at 1,000,000 calls/month, from each night")).toBe(true);
  });

  it("plots each night's maximum sustained throughput and monthly cost at the reference volume", async () => {
    const inputs = [1, 2, 3].map((day) => ({ results: night(day, day === 3), prices: DEFAULT_PRICES, href: `n${day}`, flagged: [] }));
    const points = trendPoints(inputs);
    const throughput = points.filter((point) => point.figure === "max_sustained_rate");
    expect(throughput.filter((point) => point.series === "process").map((point) => point.value)).toEqual([2100, 2200, 2300]);
    expect(throughput.filter((point) => point.series === "docker").map((point) => point.ratioToFloor)).toEqual([1500 / 2100, 1500 / 2200, 1500 / 2300]);
    const cost = points.filter((point) => point.figure === "monthly_cost");
    expect(new Set(cost.map((point) => point.series))).toEqual(new Set(["lambda · steady", "lambda · sporadic", "docker"]));
    expect(cost.every((point) => point.ratioToFloor === undefined && point.value > 0)).toBe(true);
    // The same numbers as the report's cost table at that volume: one cost model.
    const [first] = inputs;
    if (first === undefined) throw new Error("no night");
    const estimate = estimateCost(summarize(first.results), { prices: DEFAULT_PRICES, volumes: [REFERENCE_CALLS_PER_MONTH] });
    if (estimate.kind !== "estimated") throw new Error(estimate.reason);
    const steady = estimate.estimate.shapes.find((shape) => shape.shape === "steady")?.rows[0];
    expect(cost.find((point) => point.runId === first.results.runId && point.series === "lambda · steady")?.value).toBe(steady?.lambdaFunctionUrlUsd);
    expect(cost.find((point) => point.runId === first.results.runId && point.series === "docker")?.value).toBe(steady?.containerUsd);
    // The always-on container costs the same every night; sporadic Lambda traffic (more cold starts) more than steady.
    expect(new Set(cost.filter((point) => point.series === "docker").map((point) => point.value)).size).toBe(1);
    const sporadic = cost.find((point) => point.runId === first.results.runId && point.series === "lambda · sporadic")?.value ?? 0;
    expect(sporadic).toBeGreaterThan(steady?.lambdaFunctionUrlUsd ?? Number.POSITIVE_INFINITY);
  });

  it("refuses an empty history with a fix", async () => {
    await expect(buildSite(join(scratch, "none"), join(scratch, "none-site"))).rejects.toMatchObject({ code: "HISTORY_EMPTY" });
  });
});

describeRequiring(
  { what: "Chromium", missingReason: existsSync(CHROMIUM) ? undefined : `${CHROMIUM} does not exist`, fix: "Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH." },
  "the site in headless Chromium",
  () => {
    it("renders with no console errors, SVG marks in every chart, and a screenshot", async () => {
      const { chromium } = await import("playwright-core");
      const profile = mkdtempSync(join(tmpdir(), "site-chromium-"));
      // A fresh profile directory (Chromium's --user-data-dir, which playwright takes as this argument).
      const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu"], viewport: { width: 1300, height: 900 } });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(message.text());
        });
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(pathToFileURL(join(out, "index.html")).href, { waitUntil: "load", timeout: 60_000 });
        const charts = await page.locator("figure svg").count();
        expect(charts).toBe(CHARTS);
        const marks = await page.locator("figure svg path").count();
        expect(marks).toBeGreaterThan(CHARTS * NIGHTS);
        const links = await page.locator("figure svg a").count();
        expect(links).toBeGreaterThanOrEqual(NIGHTS);
        mkdirSync(resolve(SCREENSHOT_PATH, ".."), { recursive: true });
        await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
        expect(existsSync(SCREENSHOT_PATH)).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
