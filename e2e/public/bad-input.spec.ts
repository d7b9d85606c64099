import { ACCOUNTS, expect, fillSignUp, hydrated, newPerson, readReferralLink, test, signInAfterSignUp } from "../fixtures";

test("rule P4: an unknown code answers 404 with a way forward", async ({ page }) => {
  // Valid alphabet and length, but nobody has it.
  const response = await page.goto("/r/ACDEFGHJKM");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "This invitation link isn't active" })).toBeVisible();
  await expect(page.getByText("Check the link, or ask them to send it again.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
});

test("rule P1: a paused program shows the paused page, and only for that clinic", async ({ pageAs, newVisitor }) => {
  // Harbor Physiotherapy, the second clinic: pausing it cannot disturb the Maple Street tests.
  const link = await readReferralLink(await pageAs("secondPatient"));
  const maple = await readReferralLink(await pageAs("patient"));
  const admin = await pageAs("secondAdmin");
  const visitor = await newVisitor();

  async function setProgram(state: "On" | "Paused") {
    await admin.goto("/console/settings");
    await hydrated(admin.locator("form"));
    await admin.getByLabel(state, { exact: true }).check();
    await admin.getByRole("button", { name: "Save settings" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  }

  // The landing may believe its cached lookup for up to 5 s: the change shows within that, not at once.
  const within5s = async (url: string, heading: string) =>
    expect(async () => {
      const response = await visitor.goto(url);
      expect(response?.status()).toBe(200);
      await expect(visitor.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 6_000, intervals: [250] });

  await setProgram("Paused");
  try {
    await within5s(`${link}?via=sms`, "Our referral program is taking a break");
    await expect(visitor.getByText("this invitation doesn't carry a welcome credit")).toBeVisible();
    await expect(visitor.getByRole("link", { name: "Create your patient account" })).toHaveAttribute("href", "/signup/harbor-physio");

    // Rule N1: the other clinic's program is untouched.
    await visitor.goto(maple);
    await expect(visitor.getByRole("heading", { level: 1, name: "A friend invited you to Maple Street Dental" })).toBeVisible();
  } finally {
    await setProgram("On");
  }
  await within5s(link, "A friend invited you to Harbor Physiotherapy");
});

test("a wrong password says so, and the password field is cleared", async ({ page }) => {
  await page.goto("/signin");
  // Pressed after the script has run: the scripted path answers in place.
  await hydrated(page.locator("form"));
  await page.getByLabel("Email").fill(ACCOUNTS.patient);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check both and try again, or create an account.");
  await expect(page.getByLabel("Email")).toHaveValue(ACCOUNTS.patient);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(page).toHaveURL(/\/signin$/);
});

test("a double-clicked sign-up sends one request and makes one account", async ({ page, newVisitor }) => {
  const person = newPerson("Dot");
  const signUps: string[] = [];
  // The form posts to its server action, on its own page.
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/signup/maple-street") signUps.push(request.url());
  });

  await page.goto("/signup/maple-street");
  await hydrated(page.locator("form"));
  await fillSignUp(page, person);
  await page.getByRole("button", { name: "Create account" }).dblclick();
  await signInAfterSignUp(page, person.password);
  await expect(page.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();
  expect(signUps).toHaveLength(1);

  // Rule N6: signing up again with the same email ends exactly where a new sign-up does, and opens nothing.
  const retry = await newVisitor();
  await retry.goto("/signup/maple-street");
  await fillSignUp(retry, person, { password: "Another-pass-77" });
  await retry.getByRole("button", { name: "Create account" }).click();
  await retry.waitForURL(/\/signin\/maple-street\?welcome=1$/);
  await expect(retry.getByText("Thanks for signing up. We've sent a message to your email address.")).toBeVisible();
  await expect(retry.getByText(/already/i)).toHaveCount(0);
  await retry.getByLabel("Password", { exact: true }).fill("Another-pass-77");
  await retry.getByRole("button", { name: "Sign in" }).click();
  await expect(retry.getByRole("main").getByRole("alert")).toContainText("That email and password don't match an account.");
});

test("rule N3: a sign-in sent before the page's script runs keeps the password out of the URL", async ({ newVisitor }) => {
  // What a slow phone does when the person presses Sign in before hydration.
  const page = await newVisitor({ javaScriptEnabled: false });
  await page.goto("/signin");
  await page.getByLabel("Email").fill(ACCOUNTS.patient);
  await page.getByLabel("Password", { exact: true }).fill("demo-password-1");
  const sent = page.waitForRequest((request) => request.isNavigationRequest());
  await page.getByRole("button", { name: "Sign in" }).click();
  const request = await sent;
  expect(request.method()).toBe("POST");
  expect(new URL(request.url()).search).toBe("");
  await page.waitForLoadState();
  expect(page.url()).not.toContain("password");
});

test("issue 19 item 10: a path with broken percent-encoding answers 400 with a clear message, on every kind of route", async ({ request }) => {
  for (const path of ["/api/v1/patients/%E0%A4%A", "/api/export/%E0%A4%A", "/r/%E0%A4%A", "/console/patients/%E0%A4%A", "/%E0%A4%A"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(400);
    expect(await response.text(), path).toContain("broken percent-encoding");
    if (path.startsWith("/api/")) expect(response.headers()["content-type"], path).toBe("application/problem+json");
  }
  // A well-formed escape still reaches the route.
  expect((await request.get("/r/AB%20CD", { maxRedirects: 0 })).status()).toBe(404);
});
