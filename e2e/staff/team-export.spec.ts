import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { expect, fillSignUp, hydrated, newPerson, readReferralLink, test, signInAfterSignUp } from "../fixtures";

test("rule C5: an admin invites a staff member, who accepts in a fresh browser and lands in the console", async ({ pageAs, newVisitor }) => {
  const member = newPerson("Tess");
  const admin = await pageAs("admin");
  await admin.goto("/console/settings/team");
  await expect(admin.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await hydrated(admin.getByRole("button", { name: "Create invitation link" }));
  await admin.getByLabel("Email").fill(member.email);
  await admin.getByLabel("Role").selectOption("staff");
  await admin.getByRole("button", { name: "Create invitation link" }).click();
  const linkField = admin.getByLabel("Invitation link");
  await expect(linkField).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkField.inputValue();
  await expect(admin.getByRole("listitem").filter({ hasText: member.email })).toContainText("link valid until");

  const visitor = await newVisitor();
  await visitor.goto(link);
  await expect(visitor.getByRole("heading", { level: 1, name: "Join the team" })).toBeVisible();
  await expect(visitor.getByRole("main")).toContainText("Maple Street Dental");
  await expect(visitor.getByRole("main")).toContainText("a staff member");
  await visitor.getByLabel("First name").fill(member.firstName);
  await visitor.getByLabel("Last name").fill(member.lastName);
  await visitor.getByLabel("Choose a password").fill(member.password);
  await visitor.getByRole("button", { name: "Create account and join" }).click();
  await visitor.waitForURL(/\/console$/);
  await expect(visitor.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Single use: the same link now explains itself instead of making a second account.
  const again = await newVisitor();
  await again.goto(link);
  await expect(again.getByRole("heading", { level: 1, name: "This invitation can't be used" })).toBeVisible();

  await admin.reload();
  await expect(admin.getByRole("listitem").filter({ hasText: member.email })).toContainText("Staff");
  await admin.goto("/console/settings/audit?action=team.invitation_accept");
  await expect(admin.getByRole("table")).toContainText(member.firstName);
});

test("rule C6: an admin downloads the referrals CSV for the current filter", async ({ pageAs, newVisitor }) => {
  // A referral made now, through the sign-up form with the demo patient's code.
  const code = (await readReferralLink(await pageAs("patient"))).split("/r/")[1] ?? "";
  const friend = newPerson("Cleo");
  const visitor = await newVisitor();
  await visitor.goto("/signup/maple-street");
  await fillSignUp(visitor, friend);
  await visitor.getByLabel("Referral code (optional)").fill(code);
  await visitor.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(visitor, friend.password);

  const admin = await pageAs("admin");
  const today = new Date().toISOString().slice(0, 10);
  await admin.goto(`/console/referrals?status=signed_up&from=${today}`);
  await expect(admin.getByLabel("Status")).toHaveValue("signed_up");
  await expect(admin.getByRole("table")).toContainText(friend.firstName);
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export referrals CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^referrals-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile((await download.path()) ?? "", "utf8");
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  expect(header?.slice(0, 5)).toEqual(["Referral ID", "Signed up at", "Status", "Ineligible reason", "Source"]);
  expect(header).toContain("New patient email");
  const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
  expect(records).toHaveLength(rows.length);
  expect(records.every((r) => r.Status === "signed_up" && (r["Signed up at"] ?? "") >= today)).toBe(true);
  expect(records).toContainEqual(
    expect.objectContaining({ "New patient first name": friend.firstName, "New patient email": friend.email, "Referrer email": "patient@demo.test", "New patient reward": "$30 credit" }),
  );
});
