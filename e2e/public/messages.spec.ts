import { expect, fillSignUp, linkIn, mailbox, newPerson, signInAfterSignUp, test } from "../fixtures";

test("issue 10: the welcome email's unsubscribe link works in one click; a reset link works once and only once, and the old session is gone after it", async ({ newVisitor }) => {
  const person = newPerson("Mia");
  const page = await newVisitor();
  await page.goto("/signup/maple-street");
  await fillSignUp(page, person);
  await page.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(page, person.password);

  const welcome = await mailbox.waitFor((m) => m.envelopeTo.includes(person.email) && /Welcome/.test(m.subject ?? ""));
  const verification = await mailbox.waitFor((m) => m.envelopeTo.includes(person.email) && /Confirm your email/.test(m.subject ?? ""));
  // The text part carries the verification link; opening it and pressing the button verifies.
  const visitor = await newVisitor();
  await visitor.goto(linkIn(verification.text, /http:\/\/\S+\/verify\/[\w-]+/));
  await visitor.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(visitor.getByText("your email address is confirmed")).toBeVisible();

  await visitor.goto(linkIn(welcome.text, /http:\/\/\S+\/unsubscribe\/[\w.-]+/));
  await visitor.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(visitor.getByRole("status")).toContainText("You are unsubscribed");

  // Password reset, from another browser.
  const other = await newVisitor();
  await other.goto("/reset?clinic=maple-street");
  await other.getByLabel("Email").fill(person.email);
  await other.getByRole("button", { name: "Send the reset link" }).click();
  await expect(other.getByText("a reset link is on its way")).toBeVisible();
  const reset = await mailbox.waitFor((m) => m.envelopeTo.includes(person.email) && /Reset your password/.test(m.subject ?? ""));
  const resetPath = linkIn(reset.text, /http:\/\/\S+\/reset\/[\w-]+/);
  await other.goto(resetPath);
  await other.getByLabel("New password").fill(`New-${person.password}`);
  await other.getByRole("button", { name: "Save the new password" }).click();
  await expect(other.getByText("every session signed out")).toBeVisible();
  await mailbox.waitFor((m) => m.envelopeTo.includes(person.email) && /password was changed/.test(m.subject ?? ""));

  // Only once.
  await other.goto(resetPath);
  await other.getByLabel("New password").fill(`Third-${person.password}`);
  await other.getByRole("button", { name: "Save the new password" }).click();
  await expect(other.getByRole("main").getByRole("alert")).toContainText("expired or was already used");

  // The first browser's session ended with the reset.
  await page.reload();
  await expect(page).toHaveURL(/\/signin/);
});
