import { and, eq, inArray, sql } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { invitations, outboxMessages, users } from "@/db/schema";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import type { StartProgramInput } from "@/server/schemas/clinic-onboarding";
import { paymentProviderFor } from "@/server/services/orders/providers";
import { createTestDb } from "@/server/testing/db";
import { callerAs, key, userByEmail } from "@/server/testing/fixtures";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { tokenOf } from "@/server/testing/team";
import { acceptInvitation } from "@/server/services/clinics/invitations";
import { verifyEmail } from "@/server/auth/account-links";
import { slackChannel, smtpChannel } from "./channels";
import { deliverableBody } from "./store";

/**
 * Issue 19 items 1 and 2: a clinic with no admin whose address the emailed link confirmed sends
 * nothing to others. Real workers deliver to a real SMTP sink, so "nothing" means no mail arrives.
 */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let workers: Workers;

beforeAll(async () => {
  handle = await createTestDb();
  sink = await startSmtpSink();
  workers = await startWorkers(handle, {
    payments: paymentProviderFor(handle.db, {}),
    channels: { email: smtpChannel(sink.url, "Referrals <no-reply@referrals.test>"), sms: null, slack: slackChannel() },
    timing: { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
    concurrency: 2,
    queues: ["messages.send", "messages.events", "patients.import"],
  });
}, 60_000);

afterAll(async () => {
  await workers?.stop();
  await sink?.close();
  await handle?.drop();
});

const stranger = () => callerAs(handle.db, null, {}, { ipHash: key(), deviceHash: null });

/** A practice signs itself up; its admin has not opened the verification email. */
async function selfSignedUp() {
  const run = key().slice(5, 13).toLowerCase();
  const input: StartProgramInput = {
    practiceName: `Stranger Dental ${run}`,
    slug: `stranger-${run}`,
    timeZone: "America/Denver",
    firstName: "Sly",
    lastName: "Stranger",
    email: `sly-${run}@throwaway.example`,
    password: "throwaway-pass-42",
    termsAccepted: true,
    baaAccepted: true,
  };
  await stranger().onboarding.startProgram(input);
  const admin = await userByEmail(handle.db, input.email);
  return { run, input, admin, desk: callerAs(handle.db, admin.id) };
}

async function verificationToken(email: string): Promise<string> {
  const rows = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.verify_email")));
  const token = rows.map((r) => /\/verify\/([\w-]+)/.exec(deliverableBody(r))?.[1]).find(Boolean);
  if (!token) throw new Error(`no verification link was mailed to ${email}`);
  return token;
}

/** pg-boss jobs waiting to deliver these messages. */
async function deliveryJobs(messageIds: string[]) {
  if (!messageIds.length) return [];
  return queryRows<{ id: string }>(handle.db, sql`select id from pgboss.job where name = 'messages.send' and data->>'messageId' in ${messageIds}`);
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("issue 19 item 1: a stranger's clinic must not become a mail cannon", () => {
  it("an unconfirmed self-signed-up clinic imports with invitations: patients stored, nothing queued for delivery, no mail arrives; confirming releases them", async () => {
    const { run, input, admin, desk } = await selfSignedUp();
    const strangers = [1, 2, 3].map((n) => `victim-${n}-${run}@elsewhere.example`);
    const csv = ["first_name,last_name,email,phone,external_id", ...strangers.map((email, i) => `Vic${i},Tim,${email},,V-${run}-${i}`)].join("\n");
    const { jobId } = await desk.patients.importCsv({ csv, sendInvitations: true });
    await until(async () => (await desk.patients.importStatus({ jobId })).state === "done");
    const patients = await handle.db.select({ id: users.id }).from(users).where(and(eq(users.clinicId, admin.clinicId ?? ""), inArray(users.email, strangers)));
    expect(patients).toHaveLength(3);

    const held = await handle.db.select().from(outboxMessages).where(inArray(outboxMessages.to, strangers));
    expect(held.map((m) => [m.kind, m.status])).toEqual(strangers.map(() => ["patient.portal_invitation", "held"]));
    expect(await deliveryJobs(held.map((m) => m.id))).toEqual([]);
    // The admin's own verification email goes (asked for, never held); sent after the import, it arrives, and no invitation did.
    expect(await desk.accountEmails.resendVerification()).toEqual({ state: "sent" });
    await until(async () => sink.mails.filter((m) => m.envelopeTo.includes(input.email)).length >= 2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sink.mails.filter((m) => strangers.some((s) => m.envelopeTo.includes(s)))).toEqual([]);

    // The emailed link confirms the admin, and that transaction releases what the clinic held.
    expect(await verifyEmail(handle.db, await verificationToken(input.email))).toBe(true);
    for (const email of strangers) await sink.waitFor((m) => m.envelopeTo.includes(email) && /Your patient portal at/.test(m.subject ?? ""));
    const sent = await until(async () => {
      const rows = await handle.db.select().from(outboxMessages).where(inArray(outboxMessages.to, strangers));
      return rows.every((r) => r.status === "sent") && rows;
    });
    expect(sent).toHaveLength(3);
  });

  it("team invitations are gated too: an unconfirmed admin's invite is refused with a clear message and stores nothing; after confirming it goes", async () => {
    const { input, admin, desk } = await selfSignedUp();
    const email = `helper-${key()}@elsewhere.example`;
    const refused = await desk.team.invite({ email, role: "staff" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((refused as TRPCError).message).toMatch(/^Confirm your email address first/);
    expect(await handle.db.select().from(invitations).where(eq(invitations.clinicId, admin.clinicId ?? ""))).toEqual([]);
    expect(await handle.db.select().from(outboxMessages).where(eq(outboxMessages.to, email))).toEqual([]);

    await verifyEmail(handle.db, await verificationToken(input.email));
    expect((await desk.team.invite({ email, role: "staff" })).path).toMatch(/^\/invite\//);
    await sink.waitFor((m) => m.envelopeTo.includes(email) && /You're invited/.test(m.subject ?? ""));
  });
});

describe("issue 19 item 2: accepting an invitation never confirms an address", () => {
  it("a platform-added clinic's admin who accepts the invitation still cannot go live; the verification email it sends can, and it releases held mail", async () => {
    const platform = callerAs(handle.db, (await userByEmail(handle.db, "platform@demo.test")).id);
    const run = key().slice(5, 13).toLowerCase();
    const adminEmail = `owner-${run}@invited.example`;
    await platform.platform.createClinic({ name: `Invited Dental ${run}`, slug: `invited-${run}`, timeZone: "America/Chicago", adminEmail });
    // The platform vouches for the clinics it adds: the first invitation is not held.
    const invitation = await sink.waitFor((m) => m.envelopeTo.includes(adminEmail) && /You're invited/.test(m.subject ?? ""));
    const path = /\/invite\/[\w-]+/.exec(invitation.text ?? "")?.[0] ?? "";
    const { userId } = await acceptInvitation({ db: handle.db }, { token: tokenOf(path), firstName: "Ina", lastName: "Vited", password: "invited-pass-77", baaAccepted: true });
    const [account] = await handle.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
    expect(account?.at).toBeNull();

    const desk = callerAs(handle.db, userId);
    const refused = await desk.clinic.updateProgram({ ...(await desk.clinic.program()), enabled: true }).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((await desk.clinic.program()).enabled).toBe(false);
    // Nor may this admin invite a second address of their own to "confirm" it.
    await expect(desk.team.invite({ email: `second-${run}@invited.example`, role: "admin" })).rejects.toThrow(/^Confirm your email address first/);

    const mail = await sink.waitFor((m) => m.envelopeTo.includes(adminEmail) && /Confirm your email address/.test(m.subject ?? ""));
    const token = /\/verify\/([\w-]+)/.exec(mail.text ?? "")?.[1] ?? "";
    expect(await verifyEmail(handle.db, token)).toBe(true);
    expect((await desk.clinic.updateProgram({ ...(await desk.clinic.program()), enabled: true })).enabled).toBe(true);
  });

  it("an invitation accepted from the path an admin was handed back confirms nothing either", async () => {
    const admin = await userByEmail(handle.db, "admin@demo.test");
    const email = `self-made-${key()}@elsewhere.example`;
    const { path } = await callerAs(handle.db, admin.id).team.invite({ email, role: "admin" });
    const { userId } = await acceptInvitation({ db: handle.db }, { token: tokenOf(path), firstName: "Self", lastName: "Made", password: "self-made-pass-9" });
    const [account] = await handle.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
    expect(account?.at).toBeNull();
    const [verification] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.verify_email")));
    expect(verification?.recipientId).toBe(userId);
  });
});
