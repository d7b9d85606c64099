import type { Locator, Page } from "@playwright/test";
import { expect, hydrated, newPerson, readReferralLink, test, signInAfterSignUp } from "../fixtures";

/** Presses Tab until `target` has focus; fails if it is not reachable in `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 15) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${target} is not reachable with Tab`);
}

// Rule N5: a keyboard alone takes a friend from the invitation to a new account.
test("rule N5: the landing page and the sign-up form work by keyboard only", async ({ page, pageAs }) => {
  const link = await readReferralLink(await pageAs("patient"));
  const person = newPerson("Kit");

  await page.goto(`${link}?via=email`);
  const accept = page.getByRole("link", { name: "Accept the invitation and sign up" });
  await tabTo(page, accept, 3);
  await expect(accept).toBeFocused();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/signup\/maple-street$/);

  // The first field is reached by Tab, and each field after it by one more Tab, script or not.
  const firstName = page.getByLabel("First name");
  await tabTo(page, firstName, 4);
  await page.keyboard.type(person.firstName);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Last name")).toBeFocused();
  await page.keyboard.type(person.lastName);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email", { exact: true })).toBeFocused();
  await page.keyboard.type(person.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Mobile phone (optional)")).toBeFocused();
  // Rule N7: the two consents are their own stops, left unticked.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("checkbox", { name: /Text me about my referrals/ })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("checkbox", { name: /Email me a reminder to share/ })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await page.keyboard.type(person.password);

  const submit = page.getByRole("button", { name: "Create account" });
  await tabTo(page, submit, 4);
  await expect(page.getByLabel("Referral code (optional)")).toHaveValue(/^[A-Z0-9]{10}$/);
  await page.keyboard.press("Enter");
  await signInAfterSignUp(page, person.password);
  await expect(page.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();
});

test("rule N5: a failed sign-up moves focus to the list of problems", async ({ page }) => {
  await page.goto("/signup/maple-street");
  const submit = await hydrated(page.getByRole("button", { name: "Create account" }));
  await submit.focus();
  await page.keyboard.press("Enter");
  const summary = page.getByRole("main").getByRole("alert");
  await expect(summary).toContainText("Enter your first name.");
  // Focus lands on the summary's wrapper, so the alert is read out first.
  await expect(page.locator(":focus")).toContainText("Please check these");
  await page.getByRole("button", { name: "Enter your first name." }).press("Enter");
  await expect(page.getByLabel("First name")).toBeFocused();
});
