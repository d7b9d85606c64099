import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountTokens, authSessions, clinics, messageSuppressions, outboxMessages, users } from "@/db/schema";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, paymentEvent, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { requestPasswordReset, resetPassword, verifyEmail } from "@/server/auth/account-links";
import { smtpChannel, twilioChannel, slackChannel, type MessageChannels } from "./channels";
import { quietHoursEnd, unsubscribe } from "./consent";
import { handleInboundSms, validTwilioSignature } from "./inbound-sms";
import { sendStaffDigest } from "@/server/services/messages/digest";
import { setStaffChoice, updateMessageSettings } from "./settings";
import { messageLog } from "./store";
import { staffActor, systemActor } from "@/server/events/actor";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let workers: Workers;
let clinicId: string;
let serviceId: string;
const smsSent: { To: string; Body: string; From: string }[] = [];
let twilioServer: http.Server;
const AUTH_TOKEN = "twilio-test-token";

/** Answers like Twilio's Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json, 201 with the message. */
function startFakeTwilio() {
  return new Promise<string>((resolve) => {
    twilioServer = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const form = Object.fromEntries(new URLSearchParams(body)) as { To: string; Body: string; From: string };
        if (req.method !== "POST" || !/\/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/.test(req.url ?? "")) {
          res.writeHead(404).end();
          return;
        }
        smsSent.push(form);
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ sid: `SM${smsSent.length.toString().padStart(32, "0")}`, status: "queued", to: form.To, from: form.From, body: form.Body }));
      });
    });
    twilioServer.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(twilioServer.address() as AddressInfo).port}`));
  });
}

/** Twilio's own HTTP client, pointed at the local server (the client takes a custom HTTP client). */
function localTwilioClient(base: string) {
  const client = new twilio.RequestClient();
  const request = client.request.bind(client);
  client.request = (opts) => request({ ...opts, uri: opts.uri.replace("https://api.twilio.com", base) });
  return client;
}

const slackPosts: { path: string; body: { text?: string } }[] = [];
let slackServer: http.Server;
/** Stands in for hooks.slack.com: records what Slack's own client posts, answers "ok" as Slack does. */
function startFakeSlack() {
  return new Promise<string>((resolve) => {
    slackServer = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        slackPosts.push({ path: req.url ?? "", body: JSON.parse(body) as { text?: string } });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    slackServer.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`));
  });
}

const ACCOUNT_SID = `AC${"1".repeat(32)}`;

beforeAll(async () => {
  handle = await createTestDb();
  clinicId = (await clinicOf(handle.db, DEMO_SLUG)).id;
  serviceId = (await firstService(handle.db, clinicId)).id;
  sink = await startSmtpSink({ refuse: (a) => a.startsWith("bounce") });
  const twilioBase = await startFakeTwilio();
  const slackBase = await startFakeSlack();
  const channels: MessageChannels = {
    email: smtpChannel(sink.url, "Maple Street <no-reply@maple.test>"),
    sms: twilioChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "+15550001111", httpClient: localTwilioClient(twilioBase) }),
    // @slack/webhook with its fetch pointed at the local server: the URL check still runs on the real address.
    slack: slackChannel({ fetch: (url, init) => fetch(String(url).replace("https://hooks.slack.com", slackBase), init as RequestInit) }),
  };
  workers = await startWorkers(handle, {
    payments: paymentProviderFor(handle.db, {}),
    channels,
    timing: { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
    concurrency: 2,
    queues: ["messages.send", "messages.events"],
  });
}, 60_000);

afterAll(async () => {
  await workers?.stop();
  await sink?.close();
  twilioServer?.close();
  slackServer?.close();
  await handle?.drop();
});

const pay = (patientId: string) => recordPaidOrder({ db: handle.db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });
const rowsTo = (to: string) => handle.db.select().from(outboxMessages).where(eq(outboxMessages.to, to));

/** A header as it was sent (mailparser structures List-* headers; the raw line is what a mail client reads). */
const rawHeader = (mail: { headerLines: readonly { key: string; line: string }[] }, name: string) =>
  mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, "");

async function until<T>(probe: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("rule A2: messages reach people by real SMTP", () => {
  it("the referrer gets 'your reward is ready' after a friend's first paid order, with List-Unsubscribe (RFC 8058) and every link in the text part", async () => {
    const referrer = await signUpPatient(handle.db, { email: "rena@msg.test" });
    const friend = await signUpPatient(handle.db, { email: "fritz@msg.test", firstName: "Fritz", code: await codeOf(handle.db, referrer.userId) });
    const joined = await sink.waitFor((m) => m.envelopeTo.includes("rena@msg.test") && /joined/.test(m.subject ?? ""));
    expect(joined.subject).toContain("Fritz");
    await pay(friend.userId);
    const mail = await sink.waitFor((m) => m.envelopeTo.includes("rena@msg.test") && /reward/i.test(m.subject ?? ""));
    expect(rawHeader(mail, "list-unsubscribe")).toMatch(/^<http:\/\/localhost:3000\/api\/unsubscribe\/[\w.-]+>$/);
    expect(rawHeader(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.html).toBeTruthy();
    const htmlLinks = [...String(mail.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1]?.replaceAll("&amp;", "&"));
    expect(htmlLinks.length).toBeGreaterThan(1);
    for (const link of htmlLinks) expect(mail.text).toContain(link);
    // N3: the friend is named by first name only.
    expect(`${mail.subject} ${mail.text}`).not.toMatch(/fritz@msg\.test/);
  });

  it("rule A2: the unsubscribe link is honoured at once, for that clinic and kind only", async () => {
    const referrer = await signUpPatient(handle.db, { email: "una@msg.test" });
    const first = await signUpPatient(handle.db, { code: await codeOf(handle.db, referrer.userId) });
    const mail = await sink.waitFor((m) => m.envelopeTo.includes("una@msg.test") && /joined/.test(m.subject ?? ""));
    const token = /\/api\/unsubscribe\/([\w.-]+)>/.exec(rawHeader(mail, "list-unsubscribe") ?? "")?.[1] ?? "";
    expect(await unsubscribe(handle.db, token)).toEqual({ kind: "referral.friend_joined" });
    await signUpPatient(handle.db, { code: await codeOf(handle.db, referrer.userId) });
    const rows = await until(async () => {
      const r = (await rowsTo("una@msg.test")).filter((m) => m.kind === "referral.friend_joined");
      return r.length === 2 && r;
    });
    expect(rows.map((r) => r.status).sort()).toEqual(["sent", "suppressed"]);
    // Another kind still reaches them.
    await pay(first.userId);
    await sink.waitFor((m) => m.envelopeTo.includes("una@msg.test") && /reward/i.test(m.subject ?? ""));
  });

  it("a verification email's text part carries the link, which verifies once", async () => {
    const patient = await signUpPatient(handle.db, { email: "vera@msg.test" });
    const mail = await sink.waitFor((m) => m.envelopeTo.includes("vera@msg.test") && /confirm/i.test(m.subject ?? ""));
    const token = /http:\/\/localhost:3000\/verify\/([\w-]+)/.exec(mail.text ?? "")?.[1] ?? "";
    expect(token).not.toBe("");
    expect(rawHeader(mail, "list-unsubscribe")).toBeUndefined();
    expect(await verifyEmail(handle.db, token)).toBe(true);
    expect(await verifyEmail(handle.db, token)).toBe(false);
    const [row] = await handle.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, patient.userId));
    expect(row?.at).toBeInstanceOf(Date);
  });

  it("a reset link works once, within an hour, ends every session, and is followed by 'password changed'", async () => {
    const patient = await signUpPatient(handle.db, { email: "rosa@msg.test" });
    await handle.db.insert(authSessions).values({ userId: patient.userId, device: "Firefox on Linux" });
    await requestPasswordReset(handle.db, { email: "ROSA@msg.test", clinicId });
    await requestPasswordReset(handle.db, { email: "nobody@msg.test", clinicId });
    const mail = await sink.waitFor((m) => m.envelopeTo.includes("rosa@msg.test") && /reset/i.test(m.subject ?? ""));
    const token = /\/reset\/([\w-]+)/.exec(mail.text ?? "")?.[1] ?? "";
    const result = await resetPassword(handle.db, { token, newPassword: "a brand new passphrase" });
    expect(result.sessionsEnded).toBe(1);
    await expect(resetPassword(handle.db, { token, newPassword: "another passphrase!" })).rejects.toThrow("expired or was already used");
    await sink.waitFor((m) => m.envelopeTo.includes("rosa@msg.test") && /password was changed/i.test(m.subject ?? ""));
    expect(await rowsTo("nobody@msg.test")).toEqual([]);
    // An expired link fails too.
    await requestPasswordReset(handle.db, { email: "rosa@msg.test", clinicId }, new Date(Date.now() - 2 * 3600_000));
    const stale = await sink.waitFor((m) => m.envelopeTo.includes("rosa@msg.test") && /reset/i.test(m.subject ?? "") && m !== mail);
    const staleToken = /\/reset\/([\w-]+)/.exec(stale.text ?? "")?.[1] ?? "";
    await expect(resetPassword(handle.db, { token: staleToken, newPassword: "a third passphrase" })).rejects.toThrow("expired");
    // Without a clinic, the address's staff account gets the link; a patient account of that address would not.
    await requestPasswordReset(handle.db, { email: "staff@demo.test", clinicId: null });
    expect((await rowsTo("staff@demo.test")).filter((r) => r.kind === "account.password_reset")).toHaveLength(1);
    await requestPasswordReset(handle.db, { email: "rosa@msg.test", clinicId: null });
    expect((await rowsTo("rosa@msg.test")).filter((r) => r.kind === "account.password_reset")).toHaveLength(2);
  });

  it("the message log hides reset, verification and unsubscribe links from staff", async () => {
    const log = await messageLog(handle.db, { clinicId, limit: 500 });
    const reset = log.find((m) => m.to === "rosa@msg.test" && m.kind === "account.password_reset");
    expect(reset?.body).toContain("[private link, visible only to the recipient]");
    for (const m of log) {
      expect(m.body).not.toMatch(/\/(reset|verify|unsubscribe)\/[\w.-]{20,}/);
    }
    const [stored] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "rosa@msg.test"), eq(outboxMessages.kind, "account.password_reset")));
    expect(`${stored?.body} ${stored?.html}`).not.toMatch(/\/reset\/[\w-]{20,}/);
  });
});

describe("rule A3: delivery through the queue, retried with backoff, never blocking the request", () => {
  it("with the SMTP server down, sign-up succeeds at once and the mail goes out when it returns", async () => {
    sink.down();
    const patient = await signUpPatient(handle.db, { email: "dora@msg.test" });
    expect(patient.userId).toBeTruthy();
    const pending = await until(async () => {
      const [row] = (await rowsTo("dora@msg.test")).filter((r) => r.kind === "patient.welcome");
      return row && row.attempts > 0 && row;
    });
    expect(pending.status).toBe("pending");
    expect(pending.lastError).toBeTruthy();
    sink.up();
    await sink.waitFor((m) => m.envelopeTo.includes("dora@msg.test") && /welcome/i.test(m.subject ?? ""), 40_000);
    const sent = await until(async () => (await rowsTo("dora@msg.test")).find((r) => r.kind === "patient.welcome" && r.status === "sent"));
    expect(sent.attempts).toBeGreaterThan(1);
  }, 60_000);

  it("a hard bounce suppresses the address for that clinic", async () => {
    await signUpPatient(handle.db, { email: "bounce@msg.test" });
    await until(async () => (await rowsTo("bounce@msg.test")).some((r) => r.status === "bounced"));
    const suppressions = await handle.db.select().from(messageSuppressions).where(eq(messageSuppressions.address, "bounce@msg.test"));
    expect(suppressions).toMatchObject([{ clinicId, kind: "*", reason: "bounce" }]);
    await requestPasswordReset(handle.db, { email: "bounce@msg.test", clinicId });
    const reset = (await rowsTo("bounce@msg.test")).find((r) => r.kind === "account.password_reset");
    expect(reset).toMatchObject({ status: "suppressed", lastError: "bounced" });
  });
});

describe("rule N7: SMS only with explicit opt-in, quiet hours delay", () => {
  it("no SMS to a number without the patient's opt-in; with it, Twilio's API gets it", async () => {
    const referrer = await signUpPatient(handle.db, { email: "sam@msg.test", phone: "+1 617 555 0142" });
    await signUpPatient(handle.db, { code: await codeOf(handle.db, referrer.userId) });
    const refused = await until(async () => (await rowsTo("+16175550142"))[0]);
    expect(refused).toMatchObject({ channel: "sms", status: "suppressed", lastError: "no_sms_consent" });

    await handle.db.update(users).set({ smsOptInAt: new Date(), smsOptInWording: "Text me", phoneNormalized: "16175550142" }).where(eq(users.id, referrer.userId));
    // Quiet hours off for this clinic, so the SMS goes now.
    await handle.db.update(clinics).set({ quietHoursStart: 0, quietHoursEnd: 0 }).where(eq(clinics.id, clinicId));
    await signUpPatient(handle.db, { firstName: "Tess", code: await codeOf(handle.db, referrer.userId) });
    const sms = await until(async () => smsSent.find((s) => s.To === "+16175550142"));
    expect(sms.Body).toContain("Tess");
    expect(sms.Body).toContain("STOP");
    expect(sms.From).toBe("+15550001111");
  });

  it("an inbound STOP with a valid X-Twilio-Signature stops SMS at once; a forged signature is refused", async () => {
    const url = "http://localhost:3000/api/webhooks/twilio";
    const params = { From: "+16175550142", Body: "STOP", MessageSid: "SM1" };
    // As Twilio documents: the URL, then each field name and value in name order, HMAC-SHA1, base64.
    const data = url + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join("");
    const signature = createHmac("sha1", AUTH_TOKEN).update(data).digest("base64");
    expect(validTwilioSignature(AUTH_TOKEN, signature, url, params)).toBe(true);
    expect(validTwilioSignature(AUTH_TOKEN, signature, url, { ...params, Body: "START" })).toBe(false);
    expect(validTwilioSignature(AUTH_TOKEN, null, url, params)).toBe(false);
    await handleInboundSms(handle.db, { from: params.From, body: params.Body });
    const referrer = await userByEmail(handle.db, "sam@msg.test");
    const before = smsSent.length;
    await signUpPatient(handle.db, { code: await codeOf(handle.db, referrer.id) });
    await until(async () => (await rowsTo("+16175550142")).some((r) => r.lastError === "sms_stopped"));
    expect(smsSent.length).toBe(before);
  });

  it("an SMS in quiet hours (8 pm-8 am New York) waits until 8 am, never dropped", () => {
    const quiet = { start: 20, end: 8, timeZone: "America/New_York" };
    // 23:30 in New York (EST, UTC-5) is 04:30 UTC.
    expect(quietHoursEnd(new Date("2026-12-02T04:30:00Z"), quiet)?.toISOString()).toBe("2026-12-02T13:00:00.000Z");
    expect(quietHoursEnd(new Date("2026-12-02T16:00:00Z"), quiet)).toBeNull();
    expect(quietHoursEnd(new Date("2026-12-02T01:00:00Z"), quiet)?.toISOString()).toBe("2026-12-02T13:00:00.000Z");
  });
});

describe("account emails", () => {
  it("demo accounts are verified", async () => {
    const demo = await userByEmail(handle.db, "patient@demo.test");
    const [row] = await handle.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, demo.id));
    expect(row?.at).toBeInstanceOf(Date);
  });

  it("tokens are stored hashed only", async () => {
    const tokens = await handle.db.select().from(accountTokens);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(t.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("staff messages: the flagged-referral alert and the digests", () => {
  it("a flagged referral emails the staff who chose it and posts to the clinic's Slack; only hooks.slack.com URLs are accepted", async () => {
    const admin = await userByEmail(handle.db, "admin@demo.test");
    const actor = staffActor(admin.id, clinicId);
    const base = { clinicId, quietHoursStart: 20, quietHoursEnd: 8, shareReminderDays: null };
    await expect(updateMessageSettings(handle.db, actor, { ...base, slackWebhookUrl: "https://hooks.slack.com.evil.test/services/x" })).rejects.toThrow("hooks.slack.com");
    await expect(updateMessageSettings(handle.db, actor, { ...base, slackWebhookUrl: "http://hooks.slack.com/services/T0/B0/x" })).rejects.toThrow("hooks.slack.com");
    expect(await updateMessageSettings(handle.db, actor, { ...base, slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/SECRET" })).toMatchObject({ slackConfigured: true });
    const staff = await userByEmail(handle.db, "staff@demo.test");
    await setStaffChoice(handle.db, { userId: staff.id, kind: "staff.referral_flagged", enabled: false });

    const referrer = await signUpPatient(handle.db);
    await signUpPatient(handle.db, { email: `flagged-${Date.now()}@mailinator.com`, firstName: "Quinn", code: await codeOf(handle.db, referrer.userId) });
    const post = await until(async () => slackPosts.find((p) => /flagged/.test(p.body.text ?? "")));
    expect(post.path).toBe("/services/T000/B000/SECRET");
    expect(post.body.text).toContain("disposable email");
    // N3: no patient name in a staff alert.
    expect(post.body.text).not.toContain("Quinn");
    await sink.waitFor((m) => m.envelopeTo.includes("admin@demo.test") && /needs review/.test(m.subject ?? ""));
    const toStaff = (await rowsTo("staff@demo.test")).filter((r) => r.kind === "staff.referral_flagged");
    expect(toStaff).toEqual([]);
    // The stored clinic row holds the webhook sealed, never in the clear.
    const [row] = await handle.db.select({ sealed: clinics.slackWebhookSealed }).from(clinics).where(eq(clinics.id, clinicId));
    expect(row?.sealed).not.toContain("SECRET");
  });

  it("the weekly digest goes once per period to the staff who chose it, with counts only", async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 24 * 3600_000);
    const numbers = await sendStaffDigest({ db: handle.db, actor: systemActor("runs.clinic.weekly", clinicId), clinicId }, { run: "weekly", from, to, periodLabel: "the last 7 days" });
    await sendStaffDigest({ db: handle.db, actor: systemActor("runs.clinic.weekly", clinicId), clinicId }, { run: "weekly", from, to, periodLabel: "the last 7 days" });
    expect(numbers.referrals).toBeGreaterThan(0);
    const digests = (await handle.db.select().from(outboxMessages).where(eq(outboxMessages.kind, "staff.digest_weekly"))).filter((r) => r.channel === "email");
    expect(digests.map((d) => d.to).sort()).toEqual(["admin@demo.test", "staff@demo.test"]);
    expect(digests[0]?.body).toContain(`${numbers.referrals} new referral(s)`);
  });
});
