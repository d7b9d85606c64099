import { expect, readReferralLink, test } from "../fixtures";

test("rules C1, C2, N3: staff read the dashboard, filter the activity log and open a patient's record", async ({ page, pageAs }) => {
  // A click on the demo patient's link, so the log has something of this run to show.
  const patient = await pageAs("patient");
  const link = await readReferralLink(patient);
  await patient.goto(`${link}?via=sms`);

  await page.goto("/console");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Line chart of clicks, sign-ups and qualified referrals/ })).toBeVisible();
  await expect(page.getByRole("table").filter({ hasText: "Step" })).toBeVisible();
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "All time" }).click();
  await expect(page).toHaveURL(/period=all/);
  await expect(page.getByText("Referral results for all time.")).toBeVisible();

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Activity" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
  const log = page.getByRole("list").filter({ has: page.locator("time") });
  await expect(log.getByText("Click from SMS on Alex P.'s link").first()).toBeVisible();

  // The demo story's qualified referrals released rewards: the filter has some to show, and only them.
  await page.getByRole("checkbox", { name: "Reward" }).check();
  await expect(page.getByRole("status").filter({ hasText: /^Showing \d+ events, newest first\.$/ })).toBeVisible();
  await expect(log.getByText(/^Reward \$[\d,.]+ to /).first()).toBeVisible();
  await expect(log.getByText(/^Click /)).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Reward" }).uncheck();
  await page.getByRole("checkbox", { name: "Click", exact: true }).check();
  await expect(log.getByText("Click from SMS on Alex P.'s link").first()).toBeVisible();

  await log.getByRole("link", { name: "Open Alex P.'s record" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Alex Patel" })).toBeVisible();
  await expect(page.getByText("Opening this record is written to the clinic's audit log.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(page.getByText("Click from SMS on Alex P.'s link").first()).toBeVisible();
});
