import { Secret, TOTP } from "otpauth";
import type { Page } from "@playwright/test";
import { expect, hydrated, newPerson, signInThroughForm, test, type Person } from "../fixtures";

type Fx = { pageAs: (account: "admin") => Promise<Page>; newVisitor: () => Promise<Page> };

/** A new staff member of the demo clinic, through the real invitation; returns their console page. */
async function newStaffMember({ pageAs, newVisitor }: Fx): Promise<{ admin: Page; member: Person; console: Page }> {
  const member = newPerson("Quin");
  const admin = await pageAs("admin");
  await admin.goto("/console/settings/team");
  await hydrated(admin.getByRole("button", { name: "Create invitation link" }));
  await admin.getByLabel("Email").fill(member.email);
  await admin.getByLabel("Role").selectOption("staff");
  await admin.getByRole("button", { name: "Create invitation link" }).click();
  const link = await admin.getByLabel("Invitation link").inputValue();
  const page = await newVisitor();
  await page.goto(link);
  await page.getByLabel("First name").fill(member.firstName);
  await page.getByLabel("Last name").fill(member.lastName);
  await page.getByLabel("Choose a password").fill(member.password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL(/\/console$/);
  return { admin, member, console: page };
}

async function signInAttempt(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("rule N6: a password change ends another browser's session on its next call, and keeps this one", async ({ pageAs, newVisitor }) => {
  const { member, console: laptop } = await newStaffMember({ pageAs, newVisitor });
  const phone = await newVisitor();
  await signInThroughForm(phone, member.email, member.password);

  await laptop.goto("/security");
  await expect(phone.getByRole("heading", { level: 1 })).toBeVisible();
  await laptop.getByLabel("Current password").fill(member.password);
  await laptop.getByLabel("New password").fill(`${member.password}-new`);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByText("Your password is changed. 1 other browser was signed out.")).toBeVisible();

  // The phone's next step in the console finds its session ended.
  await phone.getByRole("link", { name: "Patients" }).click();
  await phone.waitForURL(/\/signin$/);
  await laptop.goto("/console/patients");
  await expect(laptop.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(laptop).toHaveURL(/\/console\/patients$/);

  const again = await newVisitor();
  await signInAttempt(again, member.email, member.password);
  await expect(again.getByText("That email and password don't match an account.")).toBeVisible();
  await signInThroughForm(again, member.email, `${member.password}-new`);

  // The list shows this browser and the new sign-in; signing that one out removes it.
  const listed = () => laptop.getByRole("list", { name: "Active sessions" }).getByRole("listitem");
  await laptop.goto("/security");
  await expect(listed()).toHaveCount(2);
  await expect(listed().filter({ hasText: "This browser" })).toContainText("last used just now");
  await (await hydrated(again.getByRole("button", { name: "Sign out" }))).click();
  await again.waitForURL(/\/signin$/);
  await laptop.reload();
  await expect(listed()).toHaveCount(1);
});

test("rule N6: a disabled staff member's open console stops working at once", async ({ pageAs, newVisitor }) => {
  const { admin, member, console: open } = await newStaffMember({ pageAs, newVisitor });
  await open.goto("/console/patients");
  await expect(open).toHaveURL(/\/console\/patients$/);

  await admin.reload();
  const row = admin.getByRole("listitem").filter({ hasText: member.email });
  await (await hydrated(row.getByRole("button", { name: /^Disable/ }))).click();
  await row.getByLabel("Reason (for the audit log)").fill("Left the practice");
  await row.getByRole("button", { name: "Disable account" }).click();
  await expect(row).toContainText("Disabled");

  await open.getByRole("link", { name: "Dashboard" }).click();
  await open.waitForURL(/\/signin$/);
});

test("rule N6: two-factor enrolment, sign-in with a code, with a recovery code once only, refusal without", async ({ pageAs, newVisitor }) => {
  const { member, console: page } = await newStaffMember({ pageAs, newVisitor });
  await page.getByRole("link", { name: "Account" }).click();
  await page.waitForURL(/\/security$/);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  await page.getByLabel("Code from your app").fill(totp.generate());
  await page.getByRole("button", { name: "Turn on" }).click();
  const listed = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(listed).toHaveCount(10);
  const codes = (await listed.allTextContents()).map((c) => c.trim());

  // Without a code: the password alone is not enough, and the form asks for the code.
  const visitor = await newVisitor();
  await signInAttempt(visitor, member.email, member.password);
  await expect(visitor.getByText("Enter the 6-digit code from your authenticator app")).toBeVisible();
  await visitor.getByLabel("Password", { exact: true }).fill(member.password);
  await visitor.getByLabel("Authenticator code").fill("000000");
  await visitor.getByRole("button", { name: "Sign in" }).click();
  await expect(visitor.getByText("That code didn't work.")).toBeVisible();
  await visitor.getByLabel("Password", { exact: true }).fill(member.password);
  // The next 30-second step: the code that confirmed enrolment is spent.
  await visitor.getByLabel("Authenticator code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await visitor.getByRole("button", { name: "Sign in" }).click();
  await visitor.waitForURL(/\/console$/);

  for (const [attempt, lands] of [
    [1, true],
    [2, false],
  ] as const) {
    const lost = await newVisitor();
    await signInAttempt(lost, member.email, member.password);
    await lost.getByLabel("Password", { exact: true }).fill(member.password);
    await lost.getByLabel("Authenticator code").fill(codes[0] ?? "");
    await lost.getByRole("button", { name: "Sign in" }).click();
    if (lands) await lost.waitForURL(/\/console$/);
    else await expect(lost.getByText("That code didn't work."), `recovery code use ${attempt}`).toBeVisible();
  }
});
