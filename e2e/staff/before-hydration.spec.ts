import type { Page } from "@playwright/test";
import { ACCOUNTS, expect, holdScripts, hydrated, test } from "../fixtures";

/**
 * Rule N3: a console form sent before its script runs (a slow laptop, a script that failed to
 * load) is a plain HTML submission. It must not carry what was typed into the URL, where
 * browser history, proxies and server logs keep it, and it must not half-do anything.
 */

/** The next page request the browser makes, i.e. the form's native submission. */
const nextNavigation = (page: Page) => page.waitForRequest((request) => request.isNavigationRequest() && request.frame() === page.mainFrame());

test("a patient search sent before the script runs puts no name in the URL", async ({ page }) => {
  await holdScripts(page);
  await page.goto("/console/patients", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Find a patient").fill("Patel");
  const sent = nextNavigation(page);
  await page.getByLabel("Find a patient").press("Enter");
  const request = await sent;
  expect(decodeURIComponent(request.url())).not.toContain("Patel");
  expect(new URL(request.url()).search).toBe("");
  await page.waitForLoadState("domcontentloaded");
  await expect(page).toHaveURL(/\/console\/patients$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("the activity log's patient filter sent before the script runs puts no name in the URL", async ({ page }) => {
  await holdScripts(page);
  await page.goto("/console/activity", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Patient name or email").fill("Patel");
  const sent = nextNavigation(page);
  await page.getByLabel("Patient name or email").press("Enter");
  const request = await sent;
  expect(decodeURIComponent(request.url())).not.toContain("Patel");
  await page.waitForLoadState("domcontentloaded");
  await expect(page).toHaveURL(/\/console\/activity$/);
});

test("an adjustment sent without its script puts neither amount nor reason in the URL, and adjusts nothing", async ({ page, pageAs }) => {
  const reason = `Goodwill for a long wait ${Date.now().toString(36)}`;
  await page.goto("/console/patients");
  const search = await hydrated(page.getByLabel("Find a patient"));
  await search.fill("Patel");
  const row = page.getByRole("row").filter({ hasText: ACCOUNTS.patient });
  await expect(row).toBeVisible();
  const balanceBefore = await row.getByRole("cell").first().textContent();
  await row.getByRole("button", { name: /^Manage / }).click();
  const adjust = page.getByRole("form", { name: "Adjust credit or points" });
  await adjust.getByLabel("Amount ($)").fill("7.25");
  await adjust.getByLabel("Reason").fill(reason);

  // The manual controls open only once the script runs, so the form is never in the server's
  // HTML. Its markup without React (a copy keeps the typed values and loses the handlers) is
  // what a browser would send if it ever were: that submission must be as safe.
  await adjust.evaluate((form) => form.replaceWith(form.cloneNode(true)));
  const sent = nextNavigation(page);
  await adjust.getByRole("button", { name: "Adjust balance" }).click();
  const request = await sent;
  const url = decodeURIComponent(request.url());
  expect(url).not.toContain("Goodwill");
  expect(url).not.toContain("7.25");
  expect(new URL(request.url()).search).toBe("");
  expect(request.method()).toBe("POST");
  await page.waitForLoadState("domcontentloaded");
  await expect(page).toHaveURL(/\/console\/patients$/);

  // Nothing was adjusted: the balance is as it was and the audit log has no such reason.
  await (await hydrated(page.getByLabel("Find a patient"))).fill("Patel");
  await expect(page.getByRole("row").filter({ hasText: ACCOUNTS.patient }).getByRole("cell").first()).toHaveText(balanceBefore ?? "");
  const admin = await pageAs("admin");
  await admin.goto("/console/settings/audit");
  await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(admin.getByRole("table").first()).toBeVisible();
  await expect(admin.getByText(reason)).toHaveCount(0);
});

test("no console form in the server's HTML sends its fields in the URL, except the filters that hold no patient data", async ({ page, pageAs }) => {
  test.setTimeout(300_000);
  // Status, dates, event kinds and team members: filters meant to be bookmarked.
  const getAllowed = new Set(["Filter referrals", "Filter the audit log"]);
  const admin = await pageAs("admin");
  const platform = await pageAs("platform");
  const pages: [Page, string][] = [
    ...["/console", "/console/activity", "/console/referrals", "/console/patients", "/console/review", "/console/messages", "/security"].map((p): [Page, string] => [page, p]),
    ...[
      "/console/patients/import",
      "/console/jobs",
      "/console/settings",
      "/console/settings/profile",
      "/console/settings/services",
      "/console/settings/points",
      "/console/settings/messages",
      "/console/settings/team",
      "/console/settings/schedule",
      "/console/settings/integrations",
      "/console/settings/webhooks",
      "/console/settings/audit",
    ].map((p): [Page, string] => [admin, p]),
    ...["/platform", "/platform/customers", "/platform/prospects", "/platform/referrals", "/platform/payouts", "/platform/program", "/platform/messages", "/platform/jobs", "/platform/runs", "/platform/webhooks", "/platform/api-keys"].map(
      (p): [Page, string] => [platform, p],
    ),
  ];
  const offenders: string[] = [];
  for (const [who, path] of pages) {
    const scripts = await holdScripts(who);
    await who.goto(path, { waitUntil: "domcontentloaded" });
    const gets = await who.locator("form").evaluateAll((forms) =>
      (forms as HTMLFormElement[])
        .filter((form) => form.method === "get" && [...form.elements].some((el) => (el as HTMLInputElement).name))
        .map((form) => form.getAttribute("aria-label") ?? form.querySelector("button")?.textContent ?? "a form"),
    );
    offenders.push(...gets.filter((name) => !getAllowed.has(name)).map((name) => `${path}: ${name}`));
    scripts.release();
    await who.unrouteAll({ behavior: "ignoreErrors" });
  }
  expect(offenders, "forms that a submission before the script would send by GET").toEqual([]);
});
