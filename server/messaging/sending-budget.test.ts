import { and, eq, inArray, sql } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditLog, clinicSendingDays, outboxMessages } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { callerAs, key, userByEmail } from "@/server/testing/fixtures";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { requestPasswordReset, verifyEmail } from "@/server/auth/account-links";
import { slackChannel, smtpChannel, type MessageChannels } from "./channels";
import { deliverMessage } from "./deliver";
import { deliverableBody, queueMessage } from "./store";

/**
 * Issue 19 item 1: a self-signed-up clinic's daily sending budget, counted at delivery on the
 * clinic's local day. No workers here: each attempt is made by hand at a chosen time, as a
 * worker would make it, and mail goes to a real SMTP sink.
 */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let channels: MessageChannels;
const ZONE = "America/Denver";

beforeAll(async () => {
  handle = await createTestDb();
  sink = await startSmtpSink();
  channels = { email: smtpChannel(sink.url, "Referrals <no-reply@referrals.test>"), sms: null, slack: slackChannel() };
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await handle?.drop();
});

const platformCaller = async () => callerAs(handle.db, (await userByEmail(handle.db, "platform@demo.test")).id);

/** A practice that signed itself up, its admin confirmed, with a budget of `perDay`. */
async function newClinic(perDay: number) {
  const run = key().slice(5, 13).toLowerCase();
  const email = `owner-${run}@budget.example`;
  await callerAs(handle.db, null, {}, { ipHash: key(), deviceHash: null }).onboarding.startProgram({
    practiceName: `Budget Dental ${run}`,
    slug: `budget-${run}`,
    timeZone: ZONE,
    firstName: "Bea",
    lastName: "Budget",
    email,
    password: "budget-pass-42",
    termsAccepted: true,
    baaAccepted: true,
  });
  const admin = await userByEmail(handle.db, email);
  const clinicId = admin.clinicId ?? "";
  const [mail] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.verify_email")));
  expect(await verifyEmail(handle.db, /\/verify\/([\w-]+)/.exec(mail ? deliverableBody(mail) : "")?.[1] ?? "")).toBe(true);
  expect(await (await platformCaller()).platform.setSendingBudget({ clinicId, perDay })).toEqual({ clinicId, perDay });
  return { run, clinicId, admin, email };
}

/** A message to someone outside the clinic, as the app writes one. */
async function messageTo(clinicId: string, to: string): Promise<string> {
  const id = await handle.db.transaction((tx) => queueMessage(tx, { clinicId, kind: "credit.applied", to, subject: "Your credit", body: "Hello" }));
  if (!id) throw new Error("not queued");
  return id;
}

const rowOf = async (id: string) => (await handle.db.select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0];
const deliver = (id: string, now: Date) => deliverMessage(handle.db, channels, id, { lastAttempt: false, now });
const localDay = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
const localTime = (at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
const mailsTo = (addresses: string[]) => sink.mails.filter((m) => addresses.some((a) => m.envelopeTo.includes(a)));

describe("issue 19 item 1: a self-signed-up clinic's daily sending budget", () => {
  it("a budget of N: N + 1 messages, N go and one waits for the clinic's next local day, its job moved with it; the admin's own reset is not counted", async () => {
    const { run, clinicId, email } = await newClinic(2);
    const to = [1, 2, 3].map((n) => `friend-${n}-${run}@elsewhere.example`);
    const ids = [];
    for (const address of to) ids.push(await messageTo(clinicId, address));
    const now = new Date();
    for (const id of ids) await deliver(id, now);

    await sink.waitFor((m) => m.envelopeTo.includes(to[1] ?? ""));
    const rows = await Promise.all(ids.map(rowOf));
    expect(rows.map((r) => r?.status)).toEqual(["sent", "sent", "pending"]);
    const waiting = rows[2];
    expect(waiting?.lastError).toMatch(/daily sending budget/);
    // Moved to midnight starting the clinic's next local day.
    const due = waiting?.sendAfter ?? new Date(0);
    expect(localTime(due)).toBe("00:00");
    expect(localDay(new Date(due.getTime() - 1))).toBe(localDay(now));
    const [job] = await queryRows<{ start_after: Date }>(
      handle.db,
      sql`select start_after from pgboss.job where name = 'messages.send' and data->>'messageId' = ${waiting?.id ?? ""} and state = 'created' and start_after > now()`,
    );
    expect(new Date(job?.start_after ?? 0).getTime()).toBe(due.getTime());
    const [counted] = await handle.db.select().from(clinicSendingDays).where(eq(clinicSendingDays.clinicId, clinicId));
    expect(counted).toMatchObject({ day: localDay(now), sent: 2 });

    // Account messages to the person who asked are left out: the admin's reset goes over budget and is not counted.
    await requestPasswordReset(handle.db, { email, clinicId: null });
    const [reset] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "account.password_reset")));
    await deliver(reset?.id ?? "", now);
    expect((await rowOf(reset?.id ?? ""))?.status).toBe("sent");
    const [still] = await handle.db.select().from(clinicSendingDays).where(eq(clinicSendingDays.clinicId, clinicId));
    expect(still?.sent).toBe(2);

    // An early attempt (the old job, retried) sends nothing; at the new day it goes.
    await deliver(waiting?.id ?? "", now);
    expect(mailsTo([to[2] ?? ""])).toEqual([]);
    await deliver(waiting?.id ?? "", new Date(due.getTime() + 60_000));
    expect((await rowOf(waiting?.id ?? ""))?.status).toBe("sent");
    await sink.waitFor((m) => m.envelopeTo.includes(to[2] ?? ""));
  });

  it("a message that waits for budget day after day is never expired by the three-day staleness rule", async () => {
    const { run, clinicId } = await newClinic(1);
    const first = await messageTo(clinicId, `first-${run}@elsewhere.example`);
    const waiting = await messageTo(clinicId, `patient-${run}@elsewhere.example`);
    const start = new Date();
    await deliver(first, start);
    await deliver(waiting, start);
    // Four days in a row, others take the day's one place before it does.
    for (let day = 0; day < 4; day++) {
      const due = (await rowOf(waiting))?.sendAfter ?? new Date(0);
      expect(due.getTime()).toBeGreaterThan(start.getTime() + day * 20 * 3600_000);
      await handle.db.insert(clinicSendingDays).values({ clinicId, day: localDay(due), sent: 1 });
      await deliver(waiting, new Date(due.getTime() + 60_000));
      expect((await rowOf(waiting))?.status).toBe("pending");
    }
    const due = (await rowOf(waiting))?.sendAfter ?? new Date(0);
    expect(due.getTime() - start.getTime()).toBeGreaterThan(4 * 24 * 3600_000);
    await deliver(waiting, new Date(due.getTime() + 60_000));
    expect(await rowOf(waiting)).toMatchObject({ status: "sent", lastError: null });
  });

  itConcurrently("two deliveries racing for the last place of the day: exactly one goes", async () => {
    const { run, clinicId } = await newClinic(1);
    const to = [1, 2, 3, 4].map((n) => `racer-${n}-${run}@elsewhere.example`);
    const ids = await Promise.all(to.map((address) => messageTo(clinicId, address)));
    const now = new Date();
    await Promise.all(ids.map((id) => deliver(id, now)));
    const rows = await handle.db.select().from(outboxMessages).where(inArray(outboxMessages.id, ids));
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending" && r.sendAfter && r.sendAfter > now)).toHaveLength(3);
    const [counted] = await handle.db.select().from(clinicSendingDays).where(eq(clinicSendingDays.clinicId, clinicId));
    expect(counted?.sent).toBe(1);
    await sink.waitFor((m) => to.some((a) => m.envelopeTo.includes(a)));
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(to)).toHaveLength(1);
  });

  it("platform.setSendingBudget is the platform's alone, audited in the same transaction; bad input is a clear 4xx", async () => {
    const { clinicId, admin } = await newClinic(200);
    const refused = await callerAs(handle.db, admin.id)
      .platform.setSendingBudget({ clinicId, perDay: 100_000 })
      .catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
    const platform = await platformCaller();
    await expect(platform.platform.setSendingBudget({ clinicId, perDay: -1 })).rejects.toThrow(/can't be negative/);
    await expect(platform.platform.setSendingBudget({ clinicId, perDay: 1.5 })).rejects.toThrow(/whole number/);
    await expect(platform.platform.setSendingBudget({ clinicId: "00000000-0000-4000-8000-000000000000", perDay: 5 })).rejects.toThrow("That clinic was not found.");
    expect(await platform.platform.setSendingBudget({ clinicId, perDay: 500 })).toEqual({ clinicId, perDay: 500 });
    const entries = await handle.db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, "clinic.sending_budget"))).orderBy(auditLog.createdAt);
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ perDay: 200 }, { perDay: 200 }],
      [{ perDay: 200 }, { perDay: 500 }],
    ]);
    expect((await platform.platform.clinics()).find((c) => c.id === clinicId)).toMatchObject({ sendingBudgetPerDay: 500, selfSignedUpAt: expect.any(Date) });
  });
});
