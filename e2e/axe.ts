import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Rule N5: the WCAG 2.1 A and AA rules axe knows. */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One line per failing element: rule, impact, where, and what to fix. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((node) => `  [${v.impact}] ${v.id} at ${node.target.join(" ")}: ${v.help}\n      ${(node.failureSummary ?? "").replace(/\n/g, "\n      ")}`),
    )
    .join("\n");
}

/** Waits for the page's data to arrive (client queries included), so axe sees what a person sees. */
export async function settled(page: Page): Promise<void> {
  // Bounded: a page that polls (webhook logs, an import's progress) is never idle for long.
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  await expect.soft(page.locator("h1").first(), "every page has a heading").toBeVisible();
  await expect(page.getByText(/^Loading\b/)).toHaveCount(0);
}

/**
 * Rule N5: no serious or critical WCAG 2.1 A/AA violation on the page as it stands. Soft, so one
 * run names every page that fails; the test still fails at its end.
 */
export async function expectAccessible(page: Page, what = new URL(page.url()).pathname): Promise<void> {
  await settled(page);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect.soft(serious.length, `${what}: serious or critical accessibility violations:\n${describeViolations(serious)}`).toBe(0);
}

/** Opens `path` and checks it (rule N5). */
export async function visitAccessible(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect.soft(response?.status(), `${path} should answer`).toBeLessThan(500);
  await expectAccessible(page, path);
}
