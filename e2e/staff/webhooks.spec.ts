import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Locator, Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expect, fillSignUp, hydrated, newPerson, payForService, readReferralLink, signInAfterSignUp, test } from "../fixtures";

// Issue 12's acceptance test (rule A4): an admin adds an endpoint in the console, a referral
// qualifies through the app, and a receiver of our own checks each delivery with the
// `standardwebhooks` library; a resend from the delivery log keeps the webhook-id.

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** A plain HTTP receiver on 127.0.0.1 that answers 200 to every POST and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

/** The three Standard Webhooks headers of one delivery, as the library takes them. */
function signatureHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const one = (name: string) => {
    const value = headers[name];
    expect(typeof value, `the ${name} header`).toBe("string");
    return value as string;
  };
  return { "webhook-id": one("webhook-id"), "webhook-timestamp": one("webhook-timestamp"), "webhook-signature": one("webhook-signature") };
}

/** Presses Tab until `target` has the focus: it is reachable from the keyboard, in order. */
async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reachable with Tab within ${maxPresses} presses`).toBeFocused();
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;

test.beforeAll(async () => {
  receiver = await startReceiver();
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
});

test("rule A4: an endpoint added in the console gets a signed referral.qualified delivery, and a resend keeps its webhook-id", async ({ pageAs, newVisitor }) => {
  // The endpoint's own path per run, so its card and its deliveries are this run's alone.
  const hookPath = `/hooks/${newPerson("run").firstName}`;
  const endpointUrl = `http://127.0.0.1:${receiver.port}${hookPath}`;
  const ours = () => receiver.received.filter((r) => r.path === hookPath);

  // The admin adds the endpoint with the keyboard alone: URL, Tab through the form, Enter on the button.
  const admin = await pageAs("admin");
  await admin.goto("/console/settings/webhooks");
  await expect(admin.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  const urlField = await hydrated(admin.getByLabel("Endpoint URL"));
  await tabTo(admin, urlField);
  await admin.keyboard.type(endpointUrl);
  await tabTo(admin, admin.getByLabel("Description (optional)"));
  await admin.keyboard.type("E2E receiver");
  const everyEvent = admin.getByRole("checkbox", { name: "Every event" });
  await expect(everyEvent).toBeChecked();
  // Rule N3: no contact details unless ticked; left unticked here.
  await expect(admin.getByRole("checkbox", { name: /May receive contact details/ })).not.toBeChecked();
  const add = admin.getByRole("button", { name: "Add endpoint" });
  await tabTo(admin, add);
  await admin.keyboard.press("Enter");

  // The secret is shown once, in a live region.
  const notice = admin.getByRole("status").filter({ hasText: "Endpoint added. Its signing secret:" });
  await expect(notice).toBeVisible();
  const secret = ((await notice.locator("code").textContent()) ?? "").trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
  const verifier = new Webhook(secret);
  // Each endpoint is a Card (a <section>) inside the Endpoints section: the innermost section with its URL.
  const card = admin.locator("section").filter({ has: admin.getByRole("heading", { level: 3, name: endpointUrl, exact: true }) }).last();
  await expect(card.getByRole("heading", { level: 3, name: endpointUrl, exact: true })).toBeVisible();
  await expect(card).toContainText("Events: every event");

  // A referral qualifies through the app: a new referrer's code, a friend signs up with it and pays.
  const referrer = newPerson("Rex");
  const r = await newVisitor();
  await r.goto("/signup/maple-street");
  await fillSignUp(r, referrer);
  await r.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(r, referrer.password);
  const code = (await readReferralLink(r)).split("/r/")[1] ?? "";

  const friend = newPerson("Fay");
  const f = await newVisitor();
  await f.goto("/signup/maple-street");
  await fillSignUp(f, friend);
  await f.getByLabel("Referral code (optional)").fill(code);
  await f.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(f, friend.password);
  await payForService(f, "Check-up and cleaning", "$120");

  // The public contract: the delivery arrives within 10 seconds; the library verifies it.
  const isQualified = (r: Received) => (JSON.parse(r.body) as { type?: string }).type === "referral.qualified";
  await expect.poll(() => ours().filter(isQualified).length, { timeout: 10_000, message: "a referral.qualified delivery" }).toBeGreaterThanOrEqual(1);
  const [first] = ours().filter(isQualified);
  if (!first) throw new Error("no referral.qualified delivery");
  expect(first.headers["content-type"]).toMatch(/^application\/json/);
  const headers = signatureHeaders(first.headers);
  const envelope = verifier.verify(first.body, headers) as { type: string; timestamp: string; data: Record<string, unknown> };
  expect(envelope.type).toBe("referral.qualified");
  expect(Number.isNaN(Date.parse(envelope.timestamp))).toBe(false);
  // Rule N3: ids and first names; no last name or email to an endpoint not allowed contact details.
  const people = envelope.data.people as Record<string, Record<string, unknown>>;
  expect(people[envelope.data.refereeId as string]).toEqual({ firstName: friend.firstName });
  expect(people[envelope.data.referrerId as string]).toEqual({ firstName: referrer.firstName });
  expect(first.body).not.toContain(friend.email);
  expect(first.body).not.toContain(friend.lastName);
  // A delivery signed with another secret does not pass.
  expect(() => new Webhook(`whsec_${Buffer.from("not-the-endpoint-secret-0123456").toString("base64")}`).verify(first.body, headers)).toThrow();

  // The delivery log shows it delivered; Resend, reached with the keyboard, sends it again.
  const deliveries = card.getByRole("button", { name: "Deliveries" });
  await tabTo(admin, deliveries, 60);
  await admin.keyboard.press("Enter");
  const log = card.getByRole("table");
  await expect(log).toBeVisible();
  const row = log.getByRole("row").filter({ hasText: "referral.qualified" });
  await expect(row).toHaveCount(1);
  // The log refreshes itself every 5 s; the delivery is done once its Resend is enabled.
  const resend = row.getByRole("button", { name: "Resend" });
  // Columns: When, Event, Status, Attempts, HTTP, Latency, Response, actions.
  const cells = row.getByRole("cell");
  await expect(cells.nth(2)).toHaveText("succeeded", { timeout: 15_000 });
  await expect(cells.nth(3)).toHaveText("1");
  await expect(cells.nth(4)).toHaveText("200");
  await expect(cells.nth(6)).toHaveText("ok");
  await expect(resend).toBeEnabled();
  await tabTo(admin, resend, 60);
  const before = ours().filter(isQualified).length;
  await admin.keyboard.press("Enter");

  await expect.poll(() => ours().filter(isQualified).length, { timeout: 10_000, message: "the resent delivery" }).toBeGreaterThan(before);
  const again = ours().filter(isQualified).at(-1);
  if (!again) throw new Error("no resent delivery");
  const againHeaders = signatureHeaders(again.headers);
  expect(againHeaders["webhook-id"]).toBe(headers["webhook-id"]);
  const resent = verifier.verify(again.body, againHeaders) as { type: string; data: Record<string, unknown> };
  expect(resent.type).toBe("referral.qualified");
  expect(resent.data.referralId).toBe(envelope.data.referralId);

  // The admin removes the endpoint (after confirming), so later events are not sent to a closed receiver.
  admin.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByRole("heading", { level: 3, name: endpointUrl, exact: true })).toHaveCount(0);
});
