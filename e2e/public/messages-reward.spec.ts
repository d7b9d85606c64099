import type { Page } from "@playwright/test";
import { expect, fillSignUp, mailbox, newPerson, payForService, readReferralLink, signInAfterSignUp, test, type Mail, type Person } from "../fixtures";

/**
 * Issue 10's Playwright story, the referrer's side: "your reward is ready" reaches the referrer
 * by real SMTP with a link that opens their portal, and its one-click unsubscribe (RFC 8058)
 * stops the next one (rule A2). The app runs over HTTP and sends to the run's SMTP sink (`mailbox`).
 */

// The second test continues with the referrer and link of the first.
test.describe.configure({ mode: "serial" });

const referrer = newPerson("Rhea");
let referralLink = "";
let unsubscribeHeader = "";

/** A header as it was sent (mailparser structures List-* headers; the raw line is what a mail client reads). */
function rawHeader(mail: Mail, name: string): string {
  return mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, "") ?? "";
}

const rewardMailsTo = async (person: Person) => (await mailbox.all()).filter((m) => m.envelopeTo.includes(person.email) && /reward/i.test(m.subject));

/** A friend opens the copied link on a phone of their own (own network, fresh cookies), signs up and pays a first order (rule P7). */
async function friendSignsUpAndPays(friendPage: Page, friend: Person) {
  await friendPage.goto(`${referralLink}?via=copy`);
  await friendPage.getByRole("link", { name: "Accept the invitation and sign up" }).click();
  await fillSignUp(friendPage, friend);
  await friendPage.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(friendPage, friend.password);
  await payForService(friendPage, "Check-up and cleaning", "$120");
}

test("issue 10, rule A2: the referrer receives 'your reward is ready' within 60 s of the friend's first paid order, with List-Unsubscribe, and its link opens their portal", async ({ newVisitor }) => {
  test.setTimeout(150_000);
  const r = await newVisitor();
  await r.goto("/signup/maple-street");
  await fillSignUp(r, referrer);
  await r.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(r, referrer.password);
  // Rule P14: accepting the current terms shows the link the referrer shares.
  referralLink = await readReferralLink(r);

  const friend = newPerson("Finn");
  await friendSignsUpAndPays(await newVisitor(), friend);

  const mail = await mailbox.waitFor((m) => m.envelopeTo.includes(referrer.email) && /reward/i.test(m.subject ?? ""), 60_000);
  expect(mail.subject).toMatch(/reward is ready/);
  // RFC 8058 one-click unsubscribe.
  unsubscribeHeader = rawHeader(mail, "list-unsubscribe");
  expect(unsubscribeHeader).toMatch(/^<https?:\/\/[^/]+\/api\/unsubscribe\/[\w.-]+>$/);
  expect(rawHeader(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  // Rule N3: the friend by first name at most, never their email.
  expect(`${mail.subject} ${mail.text} ${mail.html}`).not.toContain(friend.email);

  // The portal link is in the text part and in the HTML (the links carry APP_URL: follow their path here).
  const textLink = /https?:\/\/\S+\/signin\/maple-street(?=\s|$)/.exec(mail.text ?? "")?.[0];
  expect(textLink, "the text part carries the portal link").toBeTruthy();
  const hrefs = [...String(mail.html).matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? "").replaceAll("&amp;", "&"));
  expect(hrefs).toContain(textLink);
  for (const href of hrefs) expect(mail.text).toContain(href);

  // Opened on another device, the link asks the referrer to sign in and then shows their portal with the reward.
  const elsewhere = await newVisitor();
  await elsewhere.goto(new URL(textLink ?? "").pathname);
  await elsewhere.getByLabel("Email").fill(referrer.email);
  await elsewhere.getByLabel("Password", { exact: true }).fill(referrer.password);
  await elsewhere.getByRole("button", { name: "Sign in" }).click();
  await elsewhere.waitForURL(/\/portal$/, { waitUntil: "domcontentloaded" });
  await expect(elsewhere.getByRole("heading", { level: 1, name: "Refer a friend" })).toBeVisible();
  await expect(elsewhere.getByRole("listitem").filter({ hasText: `${friend.firstName} ${friend.lastName[0]}.` })).toContainText("you earned");
});

test("rule A2: the one-click unsubscribe of 'reward ready' stops the next one; the sink gets nothing and the console's log shows it as not sent", async ({ newVisitor, pageAs, request }) => {
  test.setTimeout(150_000);
  expect(unsubscribeHeader, "the first test read the reward email").not.toBe("");
  // What a mail client does with List-Unsubscribe-Post (RFC 8058): POST the header's URL, no cookies, no page.
  const unsubscribeUrl = new URL(unsubscribeHeader.slice(1, -1));
  const answer = await request.post(unsubscribeUrl.pathname, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "List-Unsubscribe=One-Click",
  });
  expect(answer.status()).toBe(200);
  expect(await rewardMailsTo(referrer)).toHaveLength(1);

  // A second friend through the same link: the referrer earns a second reward.
  const second = newPerson("Gus");
  await friendSignsUpAndPays(await newVisitor(), second);
  // Another kind (the unsubscribe is per kind) still reaches the referrer: mail for them after the unsubscribe did go out.
  await mailbox.waitFor((m) => m.envelopeTo.includes(referrer.email) && (m.subject ?? "").includes(`${second.firstName} joined`), 60_000);

  // Staff see the second "reward ready" as kept and not sent, for consent; the first as sent.
  const staff = await pageAs("staff");
  const rewardRows = staff
    .getByRole("row")
    .filter({ has: staff.getByRole("cell", { name: referrer.email, exact: true }) })
    .filter({ has: staff.getByRole("cell", { name: /reward is ready$/ }) });
  await expect
    .poll(
      async () => {
        await staff.goto("/console/messages");
        return (await rewardRows.allTextContents()).map((text) => (text.includes("Not sent (consent)") ? "suppressed" : text.includes("Sent") ? "sent" : "other")).sort();
      },
      { timeout: 60_000, message: "the console's message log should list both reward emails to the referrer" },
    )
    .toEqual(["sent", "suppressed"]);

  // The reward really was earned, and the sink never got its email.
  const r = await newVisitor();
  await r.goto("/signin/maple-street");
  await r.getByLabel("Email").fill(referrer.email);
  await r.getByLabel("Password", { exact: true }).fill(referrer.password);
  await r.getByRole("button", { name: "Sign in" }).click();
  await r.waitForURL(/\/portal$/, { waitUntil: "domcontentloaded" });
  await expect(r.getByRole("listitem").filter({ hasText: `${second.firstName} ${second.lastName[0]}.` })).toContainText("you earned");
  expect(await rewardMailsTo(referrer)).toHaveLength(1);
});
