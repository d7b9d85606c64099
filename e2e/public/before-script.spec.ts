import { ACCOUNTS, DEMO_PASSWORD, expect, holdScripts, hydrated, newPerson, test, signInAfterSignUp } from "../fixtures";

/**
 * Item 22: on a slow phone a person types before the page's script has run. What they typed
 * survives the script's arrival, and a form sent before it is answered by the server like
 * any other: done, or back with what was typed and what to fix.
 */

test("sign-up: what was typed before the script arrived is still there after it, and the account is made", async ({ newVisitor }) => {
  const page = await newVisitor();
  const person = newPerson("Early");
  const scripts = await holdScripts(page);
  await page.goto("/signup/maple-street", { waitUntil: "domcontentloaded" });
  await page.getByLabel("First name").pressSequentially(person.firstName);
  await page.getByLabel("Last name").pressSequentially(person.lastName);
  await page.getByLabel("Email", { exact: true }).pressSequentially(person.email);
  await page.getByLabel("Password", { exact: true }).pressSequentially(person.password);
  scripts.release();
  await hydrated(page.locator("form"));
  await expect(page.getByLabel("First name")).toHaveValue(person.firstName);
  await expect(page.getByLabel("Last name")).toHaveValue(person.lastName);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(person.email);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, person.password);
  await expect(page.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();
});

test("sign-up sent before the script runs: a mistake comes back with what was typed; fixed, the account is made and its owner signs in", async ({ newVisitor }) => {
  const page = await newVisitor();
  const person = newPerson("Eager");
  await holdScripts(page);
  await page.goto("/signup/maple-street", { waitUntil: "domcontentloaded" });
  await page.getByLabel("First name").fill(person.firstName);
  await page.getByLabel("Last name").fill(person.lastName);
  await page.getByLabel("Email", { exact: true }).fill("eager.at.example.com");
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  const sent = page.waitForRequest((request) => request.isNavigationRequest() && request.method() === "POST");
  await page.getByRole("button", { name: "Create account" }).click();
  // POST, to the page itself: nothing typed lands in the URL (rule N3).
  expect(new URL((await sent).url()).search).toBe("");
  await page.waitForLoadState("domcontentloaded");

  await expect(page.getByRole("main").getByRole("alert")).toContainText("Enter a valid email address, like name@example.com.");
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("First name")).toHaveValue(person.firstName);
  await expect(page.getByLabel("Last name")).toHaveValue(person.lastName);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("eager.at.example.com");

  await page.getByLabel("Email", { exact: true }).fill(person.email);
  // The password is never sent back in the page; the person types it again.
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, person.password);
  await expect(page.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("sign-in: typed before the script arrives survives it; sent before it, a refusal keeps the email and a success signs in", async ({ newVisitor }) => {
  const typing = await newVisitor();
  const scripts = await holdScripts(typing);
  await typing.goto("/signin", { waitUntil: "domcontentloaded" });
  await typing.getByLabel("Email").pressSequentially(ACCOUNTS.patient);
  await typing.getByLabel("Password", { exact: true }).pressSequentially(DEMO_PASSWORD);
  scripts.release();
  await hydrated(typing.locator("form"));
  await expect(typing.getByLabel("Email")).toHaveValue(ACCOUNTS.patient);
  await expect(typing.getByLabel("Password", { exact: true })).toHaveValue(DEMO_PASSWORD);

  const page = await newVisitor();
  await holdScripts(page);
  await page.goto("/signin", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Email").fill(ACCOUNTS.patient);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("domcontentloaded");
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(ACCOUNTS.patient);
  await expect(page).toHaveURL(/\/signin$/);

  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/portal$/, { waitUntil: "domcontentloaded" });
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("partner form: typed before the script survives it; sent before it, a mistake comes back filled in and the fix is received", async ({ newVisitor }) => {
  const tag = Date.now().toString(36);
  const fill = async (page: import("@playwright/test").Page, zip: string) => {
    await page.getByLabel("Your name").fill("Noor Haddad");
    await page.getByLabel("Your email").fill(`noor-${tag}@early.example`);
    await page.getByLabel("Your phone").fill("(212) 555-0148");
    await page.getByLabel("Your practice or organization").fill("Early Bird Dental");
    await page.getByLabel("How do you know the practice?").selectOption("practice_staff");
    await page.getByLabel("Practice name").fill(`Slow Phone Dental ${tag}`);
    await page.getByLabel("Contact person").fill("Dr. Ada Park");
    await page.getByLabel("Practice email").fill(`office@slow-${tag}.example`);
    await page.getByLabel("Practice phone").fill("(503) 555-0191");
    await page.getByLabel("Street address").fill("1 Dial-up Way");
    await page.getByLabel("City").fill("Portland");
    await page.getByLabel("State").selectOption("OR");
    await page.getByLabel("ZIP code").fill(zip);
    await page.getByLabel("I am 18 or older.").check();
    await page.getByLabel(/I am not an employee or family member/).check();
    await page.getByLabel(/I accept the partner program terms/).check();
  };

  const typing = await newVisitor();
  const scripts = await holdScripts(typing);
  await typing.goto("/refer-a-practice", { waitUntil: "domcontentloaded" });
  await fill(typing, "97201");
  scripts.release();
  await hydrated(typing.locator("form"));
  await expect(typing.getByLabel("Practice name")).toHaveValue(`Slow Phone Dental ${tag}`);
  await expect(typing.getByLabel("Your email")).toHaveValue(`noor-${tag}@early.example`);
  await expect(typing.getByLabel("State")).toHaveValue("OR");
  await expect(typing.getByLabel("I am 18 or older.")).toBeChecked();

  const page = await newVisitor();
  await holdScripts(page);
  await page.goto("/refer-a-practice", { waitUntil: "domcontentloaded" });
  await fill(page, "972");
  await page.getByRole("button", { name: "Send referral" }).click();
  await page.waitForLoadState("domcontentloaded");
  await expect(page.getByRole("main").getByRole("alert").first()).toContainText("Enter a US ZIP code like 12345 or 12345-6789.");
  await expect(page.getByLabel("Practice name")).toHaveValue(`Slow Phone Dental ${tag}`);
  await expect(page.getByLabel("Your email")).toHaveValue(`noor-${tag}@early.example`);
  await expect(page.getByLabel("How do you know the practice?")).toHaveValue("practice_staff");
  await expect(page.getByLabel("State")).toHaveValue("OR");
  await expect(page.getByLabel(/I accept the partner program terms/)).toBeChecked();

  await page.getByLabel("ZIP code").fill("97201");
  await page.getByRole("button", { name: "Send referral" }).click();
  await page.waitForURL(/\/refer-a-practice\/confirmation/, { waitUntil: "domcontentloaded" });
  await expect(page.getByRole("heading", { level: 1, name: "Thank you for your referral" })).toBeVisible();
});

test("status-link resend: typed before the script survives it; sent before it, it is a POST and answered", async ({ newVisitor }) => {
  const typing = await newVisitor();
  const scripts = await holdScripts(typing);
  await typing.goto("/partners/status", { waitUntil: "domcontentloaded" });
  await typing.getByLabel("Email").pressSequentially("slow-phone@early.example");
  scripts.release();
  await hydrated(typing.locator("form"));
  await expect(typing.getByLabel("Email")).toHaveValue("slow-phone@early.example");

  const page = await newVisitor();
  await holdScripts(page);
  await page.goto("/partners/status", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Email").fill("slow-phone@early");
  const sent = page.waitForRequest((request) => request.isNavigationRequest() && request.url().includes("/partners/status"));
  await page.getByRole("button", { name: "Send me a link" }).click();
  const request = await sent;
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain("slow-phone");
  await page.waitForLoadState("domcontentloaded");
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("slow-phone@early");
  await page.getByLabel("Email").fill("slow-phone@early.example");
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText("If we have referrals from that address, a new link is on its way to it.")).toBeVisible();
});
