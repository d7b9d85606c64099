import type { Locator, Page } from "@playwright/test";
import { ACCOUNTS, acceptTermsIfAsked, expect, hydrated, linkIn, mailbox, signInThroughForm, test } from "../fixtures";

/**
 * Issue 13's Playwright story: a platform admin adds a clinic and invites its admin; the admin
 * joins from the email (accepting the platform's BAA, issue 19), adds a service, imports patients (one bad row shown and left out) with
 * portal invitations, and turns the program on (rule P1); an imported patient claims the portal
 * from their email and sees their link and code (rule P2). Mail arrives through a real SMTP sink.
 */

const mailTo = (address: string, subject: RegExp) => mailbox.waitFor((m) => m.envelopeTo.includes(address) && subject.test(m.subject ?? ""));

/** Rule N5 (WCAG 1.4.10 reflow): on this phone-sized screen the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${new URL(page.url()).pathname} is wider than the screen`).toBe(0);
}

/** The dashboard's first-run checklist (a card: a section under its heading). */
const checklist = (page: Page): Locator => page.locator("section").filter({ has: page.getByRole("heading", { name: "Set up your referral program" }) });

/** A step of the first-run checklist, by its link. */
function checklistStep(page: Page, label: string): Locator {
  return checklist(page).getByRole("listitem").filter({ has: page.getByRole("link", { name: label }) });
}

test("issue 13: a clinic joins, sets itself up and brings its patients; an imported patient claims the portal and sees their link", async ({ newVisitor }) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const clinic = { name: `Birch Lane Dental ${run}`, slug: `birch-lane-${run}`, adminEmail: `owner-${run}@birch.e2e.test` };
  const patient = { firstName: "Ivy", lastName: `Imported${run}`, email: `ivy-${run}@birch.e2e.test`, password: `Claimed-pass-${run}` };
  const other = { firstName: "Otto", lastName: `Imported${run}`, email: `otto-${run}@birch.e2e.test` };
  const bad = { firstName: "Bad", lastName: `Row${run}` };

  await test.step("the platform admin adds the clinic, its program paused, and invites its admin", async () => {
    const platform = await newVisitor();
    await signInThroughForm(platform, ACCOUNTS.platform);
    await expect(platform).toHaveURL(/\/platform$/);
    // The clinics table scrolls inside its own box on a phone.
    await expect(platform.getByRole("table")).toBeVisible();
    await expectNoSidewaysScroll(platform);
    const form = platform.getByRole("form", { name: "Add a clinic" });
    await form.getByLabel("Clinic name").fill(clinic.name);
    await form.getByLabel("Address in links").fill(clinic.slug);
    await form.getByLabel("Time zone").fill("America/Chicago");
    await form.getByLabel("First admin's email").fill(clinic.adminEmail);
    await (await hydrated(form.getByRole("button", { name: "Add clinic" }))).click();
    await expect(form.getByRole("status")).toHaveText(`${clinic.name} was added with its program paused. ${clinic.adminEmail} was invited to set it up.`);
    const row = platform.getByRole("row", { name: new RegExp(clinic.name) });
    await expect(row.getByRole("cell", { name: clinic.slug })).toBeVisible();
    await expect(row.getByRole("cell", { name: "Paused" })).toBeVisible();
  });

  const admin = await newVisitor();
  const adminPassword = `Owner-pass-${run}`;
  await test.step("the new admin joins from the invitation email, chooses a password and signs in with it", async () => {
    const invitation = await mailTo(clinic.adminEmail, /You're invited to .*'s referral console/);
    expect(invitation.subject).toContain(clinic.name);
    await admin.goto(linkIn(invitation.text, /http:\/\/\S+\/invite\/[\w-]+/));
    await expect(admin.getByRole("heading", { name: "Join the team" })).toBeVisible();
    await expectNoSidewaysScroll(admin);
    await expect(admin.getByText(clinic.adminEmail)).toBeVisible();
    await admin.getByLabel("First name").fill("Olive");
    await admin.getByLabel("Last name").fill("Owner");
    await admin.getByLabel("Choose a password").fill(adminPassword);
    // Issue 19: the clinic's first admin accepts the platform's BAA for the clinic, or cannot join.
    await expect(admin.getByRole("link", { name: /Business Associate Agreement/ })).toHaveAttribute("href", "/baa");
    await (await hydrated(admin.getByRole("button", { name: "Create account and join" }))).click();
    await expect(admin.getByRole("main").getByRole("alert")).toContainText("Accept the Business Associate Agreement");
    await admin.getByLabel(/I accept the Business Associate Agreement/).check();
    await admin.getByRole("button", { name: "Create account and join" }).click();
    // Joining signs the admin in; signing out and back in proves the chosen password.
    await admin.waitForURL(/\/console$/);
    await (await hydrated(admin.getByRole("button", { name: "Sign out" }))).click();
    await admin.waitForURL(/\/signin/);
    await signInThroughForm(admin, clinic.adminEmail, adminPassword);
    await expect(admin).toHaveURL(/\/console$/);
    await expect(checklist(admin)).toContainText("5 of 6 steps left.");
    await expect(checklistStep(admin, "Accept the Business Associate Agreement")).toContainText("Done");
    for (const step of ["List your services and prices", "Bring in your patients"]) {
      await expect(checklistStep(admin, step)).toContainText("To do");
    }
    // Issue 19: accepting the invitation confirmed no address, so going live waits for the verification email.
    await expect(checklistStep(admin, "Turn the program on")).toContainText("Waiting");
  });

  await test.step("the admin adds a service (Settings > Services)", async () => {
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
    await admin.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Services" }).click();
    await expect(admin.getByRole("heading", { name: "Services and prices" })).toBeVisible();
    await expectNoSidewaysScroll(admin);
    const add = admin.getByRole("region", { name: "Add a service" });
    await add.getByLabel("Name").fill("New patient exam");
    await add.getByLabel("Price (dollars)").fill("95");
    await (await hydrated(add.getByRole("button", { name: "Add service" }))).click();
    await expect(admin.getByRole("status").filter({ hasText: "Added New patient exam." })).toBeVisible();
    await expect(admin.getByRole("listitem").filter({ hasText: "New patient exam" })).toContainText("$95");
  });

  await test.step("the admin imports a CSV with one bad row: shown in the preview, left out of the import", async () => {
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Patients" }).click();
    await admin.getByRole("link", { name: "Import patients from a CSV file" }).click();
    await expect(admin.getByRole("heading", { name: "Import patients" })).toBeVisible();
    await expectNoSidewaysScroll(admin);
    const csv = [
      "first_name,last_name,email,phone,external_id",
      `${patient.firstName},${patient.lastName},${patient.email},555-201-0001,B-${run}-1`,
      `${bad.firstName},${bad.lastName},not-an-email,555-201-0002,B-${run}-2`,
      `${other.firstName},${other.lastName},${other.email},,B-${run}-3`,
    ].join("\n");
    await admin.getByLabel("CSV file").setInputFiles({ name: "patients.csv", mimeType: "text/csv", buffer: Buffer.from(`${csv}\n`) });
    await (await hydrated(admin.getByRole("button", { name: "Check the file" }))).click();

    await expect(admin.getByRole("status").filter({ hasText: "rows are ready" })).toHaveText("2 of 3 rows are ready to import. 1 has a problem and will be left out.");
    const leftOut = admin.getByRole("table", { name: "Rows left out" });
    // Row 3 of the file (the header is row 1): its email, in words a person can act on.
    await expect(leftOut.getByRole("row", { name: /^3 / })).toContainText("email");
    await expect(leftOut.getByRole("row", { name: /^3 / })).toContainText("Enter a valid email address, like name@example.com.");
    await expect(leftOut.getByRole("row")).toHaveCount(2);
    await expectNoSidewaysScroll(admin);

    await admin.getByLabel("Email each imported patient an invitation to choose a password for their portal").check();
    // Issue 19: until an admin's address is confirmed, the invitations wait, and the page says so.
    await expect(admin.getByText(/so the invitations wait/).first()).toBeVisible();
    await admin.getByRole("button", { name: "Import 2 patients" }).click();
    // A queued job, followed by its progress bar to the end.
    const progress = admin.getByRole("progressbar", { name: "Import progress" });
    await expect(progress).toBeVisible();
    await expect(admin.getByRole("heading", { name: "Import finished" })).toBeVisible({ timeout: 30_000 });
    await expect(progress).toHaveAttribute("aria-valuenow", "100");
    await expect(admin.getByText("2 of 2 rows: 2 imported, 0 skipped.")).toBeVisible();

    await admin.getByRole("link", { name: "Back to patients" }).click();
    await expect(admin.getByRole("table").getByText("2 patients at this clinic")).toBeVisible();
    await expect(admin.getByRole("link", { name: `${patient.firstName} ${patient.lastName}` })).toBeVisible();
    await expect(admin.getByRole("link", { name: `${other.firstName} ${other.lastName}` })).toBeVisible();
    await expect(admin.getByText(bad.lastName)).toHaveCount(0);
  });

  await test.step("the admin confirms their address from the verification email (issue 19: accepting the invitation does not)", async () => {
    const mail = await mailTo(clinic.adminEmail, /Confirm your email address/);
    const phone = await newVisitor();
    await phone.goto(linkIn(mail.text, /http:\/\/\S+\/verify\/[\w-]+/));
    await (await hydrated(phone.getByRole("button", { name: "Confirm my email address" }))).click();
    await expect(phone.getByText("your email address is confirmed")).toBeVisible();
  });

  await test.step("the admin turns the program on (rule P1); the checklist shows the steps done", async () => {
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
    const program = admin.getByRole("group", { name: "Referral program" });
    await expect(program.getByText("Right now:")).toContainText("Paused");
    await (await hydrated(program.getByRole("radio", { name: "On", exact: true }))).check();
    await admin.getByRole("button", { name: "Save settings" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
    await expect(program.getByText("Right now:")).toContainText("On");

    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(checklist(admin)).toContainText("One step left.");
    for (const step of ["List your services and prices", "Choose the rewards", "Bring in your patients", "Turn the program on"]) {
      await expect(checklistStep(admin, step)).toContainText("Done");
    }
    await expect(checklistStep(admin, "Add your clinic's profile")).toContainText("To do");
    await expectNoSidewaysScroll(admin);
  });

  await test.step("an imported patient claims the portal from the invitation email and sees their link and code", async () => {
    const invitation = await mailTo(patient.email, /Your patient portal at/);
    expect(invitation.subject).toBe(`Your patient portal at ${clinic.name}`);
    await mailTo(other.email, /Your patient portal at/);
    const visitor = await newVisitor();
    await visitor.goto(linkIn(invitation.text, /http:\/\/\S+\/claim\/[\w-]+/));
    await expect(visitor.getByRole("heading", { name: "Choose your password" })).toBeVisible();
    await visitor.getByLabel("Password", { exact: true }).fill(patient.password);
    await (await hydrated(visitor.getByRole("button", { name: "Save my password" }))).click();
    await expect(visitor.getByRole("status").filter({ hasText: "Your password is set." })).toBeVisible();
    await visitor.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await visitor.waitForURL(/\/signin$/);
    await visitor.getByLabel("Email").fill(patient.email);
    await visitor.getByLabel("Password", { exact: true }).fill(patient.password);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.waitForURL(/\/portal$/);

    await acceptTermsIfAsked(visitor);
    const link = (await visitor.getByTestId("referral-link").textContent())?.trim() ?? "";
    const code = /\/r\/([A-Z0-9]{10})$/.exec(link)?.[1];
    expect(code, `a referral link ending in a code, not "${link}"`).toBeTruthy();
    await expect(visitor.getByText("Your code:")).toHaveText(`Your code: ${code}`);
    await expectNoSidewaysScroll(visitor);
    // Rule P1: the program is on, so the portal says nothing of a pause.
    await expect(visitor.getByText("The referral program is paused for now.")).toHaveCount(0);
  });
});
