import { expectAccessible, visitAccessible } from "../axe";
import { ACCOUNTS, expect, readReferralLink, test } from "../fixtures";

/**
 * Rule N5: every page a stranger, a friend or a partner referrer can open has no serious or
 * critical WCAG 2.1 A/AA violation, in its first state and after a mistake.
 */

const PAGES = [
  "/",
  "/signin",
  "/signin/maple-street",
  "/signup/maple-street",
  "/signup/no-such-clinic",
  "/start-a-program",
  "/refer-a-practice",
  "/partners/status",
  "/partners/status/not-a-real-status-token",
  "/terms/maple-street",
  "/baa",
  "/subprocessors",
  "/unsubscribe/not-a-real-token",
  "/reset",
  "/reset?clinic=maple-street",
  "/reset/not-a-real-token",
  "/claim/not-a-real-token",
  "/verify/not-a-real-token",
  "/invite/not-a-real-token",
  "/r/ACDEFGHJKM",
  "/no-such-page",
];

for (const path of PAGES) {
  test(`rule N5: ${path}`, async ({ page }) => {
    await visitAccessible(page, path);
  });
}

test("rule N5: a patient's referral landing", async ({ page, pageAs }) => {
  const link = await readReferralLink(await pageAs("patient"));
  await visitAccessible(page, new URL(link).pathname);
  await visitAccessible(page, `${new URL(link).pathname}?via=email`);
});

test("rule N5: the forms after a mistake (sign-in, sign-up, start a program, refer a practice)", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(ACCOUNTS.patient);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expectAccessible(page, "/signin after a wrong password");

  await page.goto("/signup/maple-street");
  await page.getByLabel("Email", { exact: true }).fill("not-an-email");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("main").getByRole("alert").first()).toBeVisible();
  await expectAccessible(page, "/signup/maple-street with mistakes");

  await page.goto("/start-a-program");
  await page.getByRole("button", { name: "Start my program" }).click();
  await expect(page.getByRole("main").getByRole("alert").first()).toBeVisible();
  await expectAccessible(page, "/start-a-program with mistakes");

  await page.goto("/refer-a-practice");
  await page.getByRole("button", { name: "Send referral" }).click();
  await expect(page.getByRole("main").getByRole("alert").first()).toBeVisible();
  await expectAccessible(page, "/refer-a-practice with mistakes");
});

test("rule N5: a partner referral's confirmation and its status page", async ({ page }) => {
  const tag = Date.now().toString(36);
  await page.goto("/refer-a-practice");
  await page.getByLabel("Your name").fill("Ada Axe");
  await page.getByLabel("Your email").fill(`ada-${tag}@a11y.example`);
  await page.getByLabel("Your phone").fill("(212) 555-0149");
  await page.getByLabel("Your practice or organization").fill("Axe Family Dental");
  await page.getByLabel("How do you know the practice?").selectOption("practice_staff");
  await page.getByLabel("Practice name").fill(`Contrast Dental ${tag}`);
  await page.getByLabel("Contact person").fill("Dr. Lee Park");
  await page.getByLabel("Practice email").fill(`office@contrast-${tag}.example`);
  await page.getByLabel("Practice phone").fill("(503) 555-0192");
  await page.getByLabel("Street address").fill("2 Label Lane");
  await page.getByLabel("City").fill("Portland");
  await page.getByLabel("State").selectOption("OR");
  await page.getByLabel("ZIP code").fill("97201");
  await page.getByLabel("I am 18 or older.").check();
  await page.getByLabel(/I am not an employee or family member/).check();
  await page.getByLabel(/I accept the partner program terms/).check();
  await page.getByRole("button", { name: "Send referral" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thank you for your referral" })).toBeVisible();
  await expectAccessible(page, "/refer-a-practice/confirmation");
  await page.getByRole("link", { name: "See the status of this referral" }).click();
  await expect(page.getByRole("heading", { name: `Contrast Dental ${tag}` })).toBeVisible();
  await expectAccessible(page, "/partners/status/[token]");
});
