/**
 * report.html in a real headless Chromium (Debian's, driven by playwright-core): it loads without a
 * console error, every chart has rendered SVG marks, the ten-second answers come first, and a phone-sized
 * viewport has no horizontal scroll of the page. Screenshots are saved under test-artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseClaims } from "../reports/claims/schema.js";
import { renderHtml } from "../reports/html/report.js";
import { buildReportData } from "../reports/report-data.js";
import { DEFAULT_CLAIMS_PATH } from "../reports/write-report.js";
import { CHROMIUM_PATH, describeWithChromium } from "./helpers/chromium-gate.js";
import { buildFixtureResults } from "./helpers/results-fixture.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const PAGE_LOAD_TIMEOUT_MS = 30_000;

describeWithChromium("report.html in headless Chromium", () => {
  let workDir = "";
  let htmlPath = "";

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "report-html-"));
    const claims = parseClaims(JSON.parse(readFileSync(DEFAULT_CLAIMS_PATH, "utf8")), "claims.json");
    htmlPath = join(workDir, "report.html");
    writeFileSync(htmlPath, await renderHtml(buildReportData(buildFixtureResults({ capacity: "matched" }), { claims })));
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  /** A fresh browser (its own new user-data-dir: playwright passes it as --user-data-dir) showing the report. */
  async function open(viewport: { width: number; height: number }, colorScheme: "light" | "dark") {
    const context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, "profile-")), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
      timeout: PAGE_LOAD_TIMEOUT_MS,
      viewport,
      colorScheme,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) problems.push(`network request: ${request.url()}`);
    });
    await page.goto(`file://${htmlPath}`, { waitUntil: "load", timeout: PAGE_LOAD_TIMEOUT_MS });
    return { context, page, problems };
  }

  it("loads without console errors or network, and every chart has rendered SVG marks", async () => {
    const { context, page, problems } = await open({ width: 1280, height: 900 }, "light");
    try {
      const charts = await page.$$eval("figure.chart", (figures) =>
        figures.map((figure) => ({ id: figure.id, marks: figure.querySelectorAll("svg g[class^='mark-'] path, svg g[class^='mark-'] line, svg g[class^='mark-'] rect").length })),
      );
      expect(charts.map((chart) => chart.id)).toEqual(expect.arrayContaining(["spectrum-echo", "spectrum-cpu", "cold-distribution", "cold-phases", "cost"]));
      for (const chart of charts) expect(chart.marks, chart.id).toBeGreaterThan(0);
      const axisTitles = await page.$$eval("#cost svg text", (texts) => texts.map((text) => text.textContent ?? ""));
      expect(axisTitles).toEqual(expect.arrayContaining(["calls per month (log scale)", "cost per month (USD, log scale)"]));
      const glance = await page.$eval("section.glance", (section) => section.textContent ?? "");
      expect(glance).toMatch(/echo: docker wins warm/);
      expect(glance).toMatch(/wins cold/);
      expect(glance).toMatch(/Lambda stops being cheaper above/);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "report-html-desktop-light.png") });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("fits a phone in dark mode: no horizontal page scroll, dark background", async () => {
    const { context, page, problems } = await open({ width: 390, height: 844 }, "dark");
    try {
      const layout = await page.$eval("html", (html) => ({
        scrollWidth: html.scrollWidth,
        clientWidth: html.clientWidth,
        background: html.ownerDocument.defaultView?.getComputedStyle(html.ownerDocument.body).backgroundColor,
      }));
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.background).toBe("rgb(15, 20, 25)");
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "report-html-phone-dark.png"), fullPage: false });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
