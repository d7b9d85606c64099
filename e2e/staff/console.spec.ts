import { expect, test } from "../fixtures";

test("staff see the referrals list and the program settings read-only", async ({ page }) => {
  await page.goto("/console/referrals");
  await expect(page.getByRole("heading", { level: 1, name: "Referrals" })).toBeVisible();

  // Settings are an admin's: staff read them, and the nav does not offer them.
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.goto("/console/settings");
  await expect(page.getByText("Only clinic admins can change settings.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
});

test("rule N1: a patient's session cannot open the console", async ({ pageAs }) => {
  const patient = await pageAs("patient");
  await patient.goto("/console/referrals");
  await expect(patient).toHaveURL(/\/portal$/);
});
