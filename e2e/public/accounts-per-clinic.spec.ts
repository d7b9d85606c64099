import { expect, fillSignUp, newPerson, signInAfterSignUp, test } from "../fixtures";

/**
 * Rule N6 as a patient of two clinics sees it: one email, two accounts, each with its own
 * password and its own portal; each clinic's sign-in opens only its own account.
 */
test("rule N6: one email at two clinics is two accounts, each signing in to its own portal with its own password", async ({ newVisitor }) => {
  const person = newPerson("Twin");
  const harborPassword = `Harbor-${person.password}`;

  const maple = await newVisitor();
  await maple.goto("/signup/maple-street");
  await fillSignUp(maple, person);
  await maple.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(maple, person.password);
  await expect(maple.getByText("Maple Street Dental").first()).toBeVisible();

  const harbor = await newVisitor();
  await harbor.goto("/signup/harbor-physio");
  await fillSignUp(harbor, person, { password: harborPassword });
  await harbor.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(harbor, harborPassword, "harbor-physio");
  await expect(harbor.getByText("Harbor Physiotherapy").first()).toBeVisible();
  await expect(harbor.getByText("Maple Street Dental")).toHaveCount(0);

  // Maple's password at Harbor's sign-in opens nothing; at the general sign-in it opens Maple's account.
  const other = await newVisitor();
  await other.goto("/signin/harbor-physio");
  await other.getByLabel("Email").fill(person.email);
  await other.getByLabel("Password", { exact: true }).fill(person.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("main").getByRole("alert")).toContainText("That email and password don't match an account.");
  await other.goto("/signin");
  await other.getByLabel("Email").fill(person.email);
  await other.getByLabel("Password", { exact: true }).fill(person.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await other.waitForURL(/\/portal$/);
  await expect(other.getByText("Maple Street Dental").first()).toBeVisible();
  await expect(other.getByText("Harbor Physiotherapy")).toHaveCount(0);
});

test("rule N6: the general sign-in asks for the clinic only when the password opens accounts at both", async ({ newVisitor }) => {
  const person = newPerson("Same");
  for (const clinic of ["maple-street", "harbor-physio"]) {
    const visitor = await newVisitor();
    await visitor.goto(`/signup/${clinic}`);
    await fillSignUp(visitor, person);
    await visitor.getByRole("button", { name: "Create account" }).click();
    await visitor.waitForURL(new RegExp(`/signin/${clinic}\\?welcome=1$`));
  }
  // Without the page's script too: the choice comes back from the server like any answer.
  const page = await newVisitor({ javaScriptEnabled: false });
  await page.goto("/signin");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This email has accounts at more than one clinic.");
  await expect(page.getByRole("radio")).toHaveCount(2);
  await page.getByRole("radio", { name: "Harbor Physiotherapy" }).check();
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/portal$/);
  await expect(page.getByText("Harbor Physiotherapy").first()).toBeVisible();
});
