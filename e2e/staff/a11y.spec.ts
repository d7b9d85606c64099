import type { Page } from "@playwright/test";
import { expectAccessible, settled, visitAccessible } from "../axe";
import { expect, hydrated, test } from "../fixtures";

/**
 * Rule N5: every console page (as clinic staff, and as the clinic admin, who sees them all) and
 * every page of the platform area has no serious or critical WCAG 2.1 A/AA violation.
 */

const STAFF = ["/console", "/console/activity", "/console/referrals", "/console/patients", "/console/review", "/console/messages", "/security"];

const ADMIN = [
  ...STAFF,
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
];

const PLATFORM = [
  "/platform",
  "/platform/customers",
  "/platform/prospects",
  "/platform/referrals",
  "/platform/payouts",
  "/platform/program",
  "/platform/messages",
  "/platform/jobs",
  "/platform/runs",
  "/platform/webhooks",
  "/platform/api-keys",
  "/security",
];

/** The first link in the page's main region whose address starts with `prefix`, and that page checked. */
async function followFirst(page: Page, prefix: string): Promise<void> {
  const link = page.locator(`main a[href^="${prefix}"]`).first();
  await expect(link, `a link to ${prefix}…`).toBeVisible();
  await visitAccessible(page, (await link.getAttribute("href")) ?? "");
}

for (const path of STAFF) {
  test(`rule N5: ${path} as clinic staff`, async ({ page }) => {
    await visitAccessible(page, path);
  });
}

for (const path of ADMIN) {
  test(`rule N5: ${path} as the clinic admin`, async ({ pageAs }) => {
    await visitAccessible(await pageAs("admin"), path);
  });
}

test("rule N5: a patient's record, and the manual controls with a mistake and the record-order dialog", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/console/patients");
  await settled(page);
  await followFirst(page, "/console/patients/");

  await page.goto("/console/patients");
  await settled(page);
  await (await hydrated(page.getByRole("button", { name: /^Manage / }).first())).click();
  const adjust = page.getByRole("form", { name: "Adjust credit or points" });
  await expect(adjust).toBeVisible();
  await expectAccessible(page, "/console/patients, a patient's manual controls");
  await adjust.getByRole("button", { name: "Adjust balance" }).click();
  await expect(adjust.getByText("Enter dollars, like 10 or -12.50.")).toBeVisible();
  await expectAccessible(page, "/console/patients, an adjustment with a mistake");
  await page.getByRole("button", { name: /^Record order for / }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectAccessible(page, "/console/patients, the record-order dialog");
});

for (const path of PLATFORM) {
  test(`rule N5: ${path} as the platform admin`, async ({ pageAs }) => {
    await visitAccessible(await pageAs("platform"), path);
  });
}

test("rule N5: a partner referral, a payout month and a statement as the platform admin", async ({ pageAs }) => {
  test.setTimeout(180_000);
  const platform = await pageAs("platform");
  await platform.goto("/platform/referrals");
  await settled(platform);
  await followFirst(platform, "/platform/referrals/");
  await platform.goto("/platform/payouts");
  await settled(platform);
  await followFirst(platform, "/platform/payouts/");
  await followFirst(platform, `${new URL(platform.url()).pathname}/statements/`);
});
