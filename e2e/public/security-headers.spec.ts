import { expect, readReferralLink, test } from "../fixtures";

// Issue 7 items 12, 19 and 20, on the built app: what every response carries.
const directives = (csp: string | undefined): Record<string, string[] | undefined> =>
  Object.fromEntries((csp ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

test("the referral landing carries a script-free CSP and the common headers; Secure and HSTS only over https", async ({ pageAs, request }) => {
  const link = await readReferralLink(await pageAs("patient"));
  const plain = await request.get(`${link}?utm_source=%00&via=sms`, { maxRedirects: 0 });
  // Item 11: an unusable UTM value is dropped, the page still answers.
  expect(plain.status()).toBe(200);
  const headers = plain.headers();
  const csp = directives(headers["content-security-policy"]);
  expect(csp["default-src"]).toEqual(["'none'"]);
  expect(csp["script-src"]).toBeUndefined();
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["set-cookie"]).not.toContain("Secure");
  // Item 20: the demo accounts exist here, so the landing says so.
  expect(await plain.text()).toContain("Demo data");

  const tls = await request.get(link, { headers: { "x-forwarded-proto": "https" } });
  expect(tls.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
  expect(tls.headers()["set-cookie"]).toContain("; Secure");
});

test("pages run only scripts with this request's nonce, hydrate, and cannot be framed", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/signin");
  const csp = directives(response?.headers()["content-security-policy"]);
  const nonce = csp["script-src"]?.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce).toBeTruthy();
  expect(csp["script-src"]).not.toContain("'unsafe-inline'");
  expect(csp["object-src"]).toEqual(["'none'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(response?.headers()["x-frame-options"]).toBe("DENY");

  // Every script the server sent carries this request's nonce. Read from the HTML itself: scripts
  // that Next's own (nonced) code adds later are allowed by 'strict-dynamic' and carry none.
  const html = (await response?.text()) ?? "";
  const scriptNonces = [...html.matchAll(/<script\b[^>]*>/g)].map((tag) => /\snonce="([^"]*)"/.exec(tag[0])?.[1] ?? "");
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));

  // The page works under the policy: the form answers, and nothing was blocked.
  await page.getByLabel("Email").fill("nobody-at-all@e2e.test");
  await page.getByLabel("Password", { exact: true }).fill("Not-the-password-9");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Item 10: an unknown email reads exactly as a wrong password.
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check both and try again, or create an account.");
  expect(violations).toEqual([]);

  // Item 20: the demo banner, as a labelled landmark.
  await expect(page.getByRole("complementary", { name: "Demo data" })).toContainText("published passwords");

  const second = await page.request.get("/signin");
  expect(second.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
  expect((await page.request.get("/signin", { headers: { "x-forwarded-proto": "https" } })).headers()["strict-transport-security"]).toMatch(/max-age/);
});

test("session cookies are Secure behind a TLS-terminating proxy, and only then", async ({ request }) => {
  const tls = await request.get("/api/auth/csrf", { headers: { "x-forwarded-proto": "https" } });
  expect(tls.headers()["set-cookie"]).toMatch(/^__Host-authjs\.csrf-token=[^;]+;.*Secure/);
  const plain = await request.get("/api/auth/csrf");
  expect(plain.headers()["set-cookie"]).toMatch(/^authjs\.csrf-token=/);
  expect(plain.headers()["set-cookie"]).not.toContain("Secure");
});

test("API routes carry nosniff and a deny-all CSP; a GET of a query without personal data still works", async ({ request }) => {
  const ping = await request.get("/api/ping");
  expect(ping.headers()["x-content-type-options"]).toBe("nosniff");
  expect(directives(ping.headers()["content-security-policy"])["default-src"]).toEqual(["'none'"]);
  const prefill = await request.get("/api/trpc/partner.prefill");
  expect(prefill.status()).toBe(200);
  expect(await prefill.json()).toEqual({ result: { data: { json: null } } });
});

test("item 12: a staff search by patient name travels in the request body, never the URL", async ({ pageAs }) => {
  const staff = await pageAs("staff");
  const trpcUrls: { method: string; url: string; body: string }[] = [];
  staff.on("request", (r) => {
    if (r.url().includes("/api/trpc/")) trpcUrls.push({ method: r.method(), url: r.url(), body: r.postData() ?? "" });
  });
  await staff.goto("/console/patients");
  const searched = staff.waitForRequest((r) => r.url().includes("/api/trpc/") && (r.postData() ?? "").includes("Patel"));
  await staff.getByLabel("Find a patient").fill("Patel");
  await searched;
  await expect(staff.getByText("patient@demo.test").first()).toBeVisible();
  const search = trpcUrls.filter((r) => r.body.includes("Patel"));
  expect(search.length).toBeGreaterThan(0);
  expect(search.every((r) => r.method === "POST")).toBe(true);
  expect(trpcUrls.some((r) => decodeURIComponent(r.url).includes("Patel"))).toBe(false);
});
