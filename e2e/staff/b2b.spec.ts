import { parse } from "csv-parse/sync";
import { platformToday } from "../environment";
import { expect, hydrated, test } from "../fixtures";

// The platform's date, not UTC's: from 7 p.m. in New York, UTC is already tomorrow (and at a month's end, next month).
const today = () => platformToday();

/**
 * Rules B1-B6, the whole story: a practice manager (staff, signed in) refers a practice,
 * trips a validation error first; a platform admin accepts it, marks it won, records a
 * payment and runs the month's payouts; the referrer's status page shows what they earned.
 */
test("a practice referral from the form to the month's payout", async ({ page, pageAs }) => {
  const tag = Date.now().toString(36);
  const practice = `Willow Creek Dental ${tag}`;

  await page.goto("/refer-a-practice");
  await expect(page.getByRole("heading", { level: 1, name: "Refer a practice" })).toBeVisible();
  // Rule B1: signed-in clinic staff find themselves and their practice filled in.
  await expect(page.getByLabel("Your name")).toHaveValue("Sam Okafor");
  await expect(page.getByLabel("Your practice or organization")).toHaveValue("Maple Street Dental");
  await page.getByLabel("Your phone").fill("(212) 555-0147");
  await page.getByLabel("How do you know the practice?").selectOption("practice_staff");
  await page.getByLabel("Practice name").fill(practice);
  await page.getByLabel("Contact person").fill("Dr. Lena Ortiz");
  await page.getByLabel("Practice email").fill(`office@willow-${tag}.example`);
  await page.getByLabel("Practice phone").fill("(503) 555-0190");
  await page.getByLabel("Website (optional)").fill(`willow-${tag}.example`);
  await page.getByLabel("Street address").fill("400 Creek Lane");
  await page.getByLabel("City").fill("Portland");
  await page.getByLabel("State").selectOption("OR");
  await page.getByLabel("ZIP code").fill("972");
  await page.getByLabel("I am 18 or older.").check();
  await page.getByLabel(/I am not an employee or family member/).check();
  await page.getByLabel(/I accept the partner program terms/).check();
  await page.getByRole("button", { name: "Send referral" }).click();

  // The mistake is named, next to its field and in the summary; nothing was sent.
  await expect(page.getByRole("alert").filter({ hasText: "Please check" })).toContainText("Enter a US ZIP code like 12345 or 12345-6789.");
  await page.getByLabel("ZIP code").fill("97201");
  await page.getByRole("button", { name: "Send referral" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Thank you for your referral" })).toBeVisible();
  await page.getByRole("link", { name: "See the status of this referral" }).click();
  await expect(page.getByRole("heading", { name: practice })).toBeVisible();
  const statusUrl = page.url();
  expect(statusUrl).toMatch(/\/partners\/status\/[\w-]{40,}$/);

  // The platform admin works the lead.
  const admin = await pageAs("platform");
  await admin.goto("/platform/referrals");
  await admin.getByRole("link", { name: practice }).click();
  await expect(admin.getByRole("heading", { level: 1, name: practice })).toBeVisible();
  const accept = admin.getByRole("button", { name: "Accept", exact: true });
  await hydrated(accept);
  await accept.click();
  await expect(admin.getByText("Accepted; the referrer has been told.")).toBeVisible();

  await admin.getByLabel("Contract start").fill(today());
  await admin.getByLabel("Launch date").fill(today());
  await admin.getByLabel("Monthly maintenance fee ($)").fill("300");
  await admin.getByRole("button", { name: "Mark won" }).click();
  await expect(admin.getByText("Marked won.")).toBeVisible();

  await admin.getByLabel("Amount ($)").fill("300");
  // The platform's date on every field: the form's own default is the browser's UTC date.
  await admin.getByLabel("Received on").fill(today());
  await admin.getByLabel("Period start").fill(today());
  await admin.getByLabel("Period end").fill(today());
  await admin.getByRole("button", { name: "Record payment" }).click();
  await expect(admin.getByText("Payment recorded.")).toBeVisible();
  await expect(admin.getByRole("table", { name: "Rewards earned by the referrer" })).toContainText("$30");

  // Rule B6: the month's run totals it for the referrer.
  await admin.goto("/platform/payouts");
  const month = admin.getByLabel("Month (YYYY-MM)");
  await hydrated(month);
  await month.fill(today().slice(0, 7));
  await admin.getByRole("button", { name: "Run payouts" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Payouts for ${today().slice(0, 7)}` })).toBeVisible();
  await expect(admin.getByRole("row", { name: /Sam Okafor/ })).toContainText("$30");

  // Rule B6: the month's statement CSV, from its public route, has the line for this practice.
  const csv = await admin.request.get(`/platform/payouts/${today().slice(0, 7)}/export`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  const rows = parse(await csv.text(), { bom: true }) as string[][];
  expect(rows.length).toBeGreaterThan(1);
  const line = rows.find((row) => row.includes(practice));
  expect(line, "the practice's payout line").toBeDefined();
  expect(line).toContain("Sam Okafor");
  expect(line?.some((cell) => /^\$?30(\.00)?$/.test(cell))).toBe(true);
  // Not for anyone else: a clinic admin gets nothing.
  const refused = await (await pageAs("admin")).request.get(`/platform/payouts/${today().slice(0, 7)}/export`);
  expect(refused.status()).not.toBe(200);

  // Rule B5: the referrer's own page shows the earned amount.
  await page.goto(statusUrl);
  await expect(page.getByTestId("earned")).toContainText("Earned $30");
});

test("rule N1: a clinic admin cannot open the platform area", async ({ pageAs }) => {
  const clinicAdmin = await pageAs("admin");
  await clinicAdmin.goto("/platform/referrals");
  await expect(clinicAdmin).not.toHaveURL(/\/platform/);
});
