import { formatCents } from "@/server/schemas/money";
import { acceptTermsIfAsked, balanceCents, definition, expect, fillSignUp, hydrated, newPerson, payForService, test, signInAfterSignUp } from "../fixtures";

// Issue 2's acceptance test: the whole referral loop, in a real browser, as each person sees it.
test("rules P3-P9 and P15: a copied link brings a friend who signs up, pays, and both get their credit", async ({
  page,
  context,
  newVisitor,
  pageAs,
  baseURL,
}) => {
  const friend = newPerson("Bea");

  // Patient A finds their link and copies it (rules P3, P4: the copy is tagged ?via=copy).
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/portal");
  // Rule P14: the current terms are accepted before the link is shown.
  await acceptTermsIfAsked(page);
  const link = (await page.getByTestId("referral-link").textContent())?.trim() ?? "";
  expect(link.startsWith(`${baseURL}/r/`)).toBe(true);
  expect(link).toMatch(/\/r\/[A-Z0-9]{10}$/);
  const code = link.split("/r/")[1] ?? "";
  const startingBalance = await balanceCents(page);

  const copy = await hydrated(page.getByRole("button", { name: "Copy link" }));
  await copy.click();
  await expect(page.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${link}?via=copy`);

  // Friend B opens the copied link on a device that has never seen the app.
  const b = await newVisitor();
  const landing = await b.goto(copied);
  expect(landing?.status()).toBe(200);
  await expect(b.getByRole("heading", { level: 1, name: "A friend invited you to Maple Street Dental" })).toBeVisible();
  await b.getByRole("link", { name: "Accept the invitation and sign up" }).click();
  await expect(b).toHaveURL(/\/signup\/maple-street$/);

  // Rule P5: the code came along from the link. A typo in the email is caught, and nothing typed is lost.
  const codeField = b.getByLabel("Referral code (optional)");
  await expect(codeField).toHaveValue(code);
  await fillSignUp(b, friend, { email: "bea.at.example.com" });
  await b.getByRole("button", { name: "Create account" }).click();
  const emailField = b.getByLabel("Email", { exact: true });
  await expect(emailField).toHaveAttribute("aria-invalid", "true");
  await expect(b.getByText("Enter a valid email address, like name@example.com.").first()).toBeVisible();
  await expect(b.getByRole("main").getByRole("alert")).toContainText("Enter a valid email address, like name@example.com.");
  await expect(b.getByLabel("First name")).toHaveValue(friend.firstName);
  await expect(b.getByLabel("Last name")).toHaveValue(friend.lastName);
  await expect(b.getByLabel("Password", { exact: true })).toHaveValue(friend.password);
  await expect(codeField).toHaveValue(code);

  await emailField.fill(friend.email);
  await b.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(b, friend.password);
  await expect(b.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();

  // Rule P7: B's first paid order qualifies the referral; rule P9: B's own credit waits for the next order.
  const first = await payForService(b, "Check-up and cleaning", "$120");
  await expect(definition(first, "Credit applied")).toHaveText("$0");

  // Rule P15: A sees the $50 and the referral as complete, on the portal and in the credit history.
  await page.reload();
  await expect(page.getByTestId("credit-balance")).toHaveText(formatCents(startingBalance + 5000));
  const referral = page.getByRole("listitem").filter({ hasText: `${friend.firstName} ${friend.lastName[0]}.` });
  await expect(referral).toContainText("Visit complete — you earned $50");
  await page.goto("/portal/credits");
  await expect(page.getByTestId("credit-balance")).toHaveText(formatCents(startingBalance + 5000));
  await expect(page.getByRole("table", { name: "Credit history, newest first" }).getByRole("row").nth(1)).toContainText("+$50");

  // Rule P9: B's $30 welcome credit comes off B's next order by itself.
  const second = await payForService(b, "Dental X-rays", "$30");
  await expect(definition(second, "Credit applied")).toHaveText("$30");

  // The clinic sees the referral as qualified.
  const staff = await pageAs("staff");
  await staff.goto("/console/referrals");
  const row = staff.getByRole("row").filter({ hasText: friend.fullName });
  await expect(row).toContainText("Qualified");
  await expect(row).toContainText("Alex Patel");
});
