import { suggestSlug } from "@/server/schemas/clinic-onboarding";
import { expect, hydrated, mailbox, newPerson, test } from "../fixtures";

/** The path of the first link in a mail's text part matching `pattern` (links carry APP_URL, not this server's address). */
function linkIn(text: string | false | undefined, pattern: RegExp): string {
  const match = pattern.exec(text || "");
  if (!match) throw new Error(`no link like ${pattern} in the mail`);
  return new URL(match[0]).pathname;
}

test("issue 13: a practice starts its own program, accepting the BAA (issue 19), confirms its email from the mailbox, signs in, and can then go live", async ({ newVisitor }) => {
  const person = newPerson("Olu");
  const practice = `Birch ${person.firstName} Dental`;
  const slug = suggestSlug(practice);
  const page = await newVisitor({ timezoneId: "America/Chicago" });

  await page.goto("/");
  await page.getByRole("link", { name: "Start a referral program" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Start a referral program" })).toBeVisible();

  // The address follows the name until edited, shown as the patients' link; the zone is the browser's.
  await (await hydrated(page.getByLabel("Practice name"))).fill(practice);
  await expect(page.getByLabel("Address in links")).toHaveValue(slug);
  await expect(page.getByText(`/signup/${slug}`)).toBeVisible();
  await expect(page.getByLabel("Time zone")).toHaveValue("America/Chicago");
  await page.getByLabel("First name").fill(person.firstName);
  await page.getByLabel("Last name").fill(person.lastName);
  await page.getByLabel("Work email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);

  // Without the terms ticked, the form says so beside the box and sends nothing.
  await page.getByRole("button", { name: "Start my program" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Accept the platform terms to start your program.");
  await page.getByLabel(/I accept the platform terms/).check();
  // Issue 19: nor without the BAA, whose text and subprocessors are a link away.
  await page.getByRole("button", { name: "Start my program" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Accept the Business Associate Agreement to continue.");
  const baaLink = page.getByRole("link", { name: /Business Associate Agreement \(version/ });
  await expect(baaLink).toHaveAttribute("href", "/baa");
  const baa = await newVisitor();
  await baa.goto("/baa");
  await expect(baa.getByRole("heading", { level: 1, name: "Business Associate Agreement" })).toBeVisible();
  await baa.getByRole("link", { name: "subprocessors page" }).click();
  await expect(baa.getByRole("heading", { level: 2, name: "Twilio" })).toBeVisible();
  await page.getByLabel(/I accept the Business Associate Agreement/).check();
  await page.getByRole("button", { name: "Start my program" }).click();

  // Sign-in greets the practice, with the address filled in (it never travels in the URL).
  await page.waitForURL(/\/signin\?started=1$/);
  await expect(page.getByRole("main").getByRole("status")).toContainText("Thanks for starting a referral program");
  await expect(page.getByLabel("Email")).toHaveValue(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console$/);

  // The first-run checklist: going live waits for the confirmed address.
  const checklist = page.locator("section").filter({ has: page.getByRole("heading", { name: "Set up your referral program" }) });
  await expect(checklist).toContainText("Confirm your email address first");

  // The verification mail, opened on another device.
  const mail = await mailbox.waitFor((m) => m.envelopeTo.includes(person.email) && /Confirm your email/.test(m.subject ?? ""));
  const phone = await newVisitor();
  await phone.goto(linkIn(mail.text, /http:\/\/\S+\/verify\/[\w-]+/));
  await (await hydrated(phone.getByRole("button", { name: "Confirm my email address" }))).click();
  await expect(phone.getByText("your email address is confirmed")).toBeVisible();

  await page.reload();
  await expect(checklist).toBeVisible();
  await expect(checklist).not.toContainText("Confirm your email address first");

  // Now the program can go live.
  await page.goto("/console/settings");
  await (await hydrated(page.getByRole("radio", { name: "On", exact: true }))).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await expect(page.getByText("Right now:")).toContainText("On");
});
