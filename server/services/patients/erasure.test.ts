import { randomUUID } from "node:crypto";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, queryRows } from "@/db/client";
import { activityEvents, auditLog, authSessions, balanceAdjustments, creditLedger, domainEvents, outboxMessages, referralCodes, referrals, rewards, users, webhookAttempts } from "@/db/schema";
import { staffActor, systemActor } from "@/server/events/actor";
import { unsubscribe, unsubscribeToken } from "@/server/messaging/consent";
import { handleInboundSms } from "@/server/messaging/inbound-sms";
import { composeForEvent } from "@/server/services/messages/compose";
import { queueMessage } from "@/server/messaging/store";
import { dashboardStats } from "@/server/services/insights/dashboard";
import { processInboundEvent } from "@/server/services/integrations/inbound/process";
import { createInboundEndpoint, receiveInbound } from "@/server/services/integrations/inbound/receive";
import { resolveLanding } from "@/server/services/referrals/referrals";
import { createEndpoint, sendTestEvent } from "@/server/services/integrations/webhooks/endpoints";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { pgRefusal } from "@/server/testing/pg-errors";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, readerContext } from "@/server/testing/fixtures";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId = "";
let adminId = "";
let staffId = "";
const email = `zephyrine-${randomUUID().slice(0, 8)}@example.com`;
const phoneDigits = "14155550199";
const firstName = "Zephyrine";
const lastName = "Quillfeather";
let patientId = "";
let referrerId = "";
let friendId = "";
let flaggedId = "";
let bystanderId = "";
let oldCode = "";

/** Every text, varchar, json and jsonb column of every table in every schema (pgboss's queue included). */
async function storesHolding(needle: string): Promise<string[]> {
  const columns = await queryRows<{ table_schema: string; table_name: string; column_name: string }>(
    db,
    sql`select c.table_schema, c.table_name, c.column_name from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
         where c.table_schema not in ('pg_catalog', 'information_schema')
           and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const ident = sql.raw(`"${c.table_schema}"."${c.table_name}"`);
    const col = sql.raw(`"${c.column_name}"`);
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${ident} where position(lower(${needle}) in lower(${col}::text)) > 0`);
    if (row && row.n > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return found;
}

/** The dashboard's totals; the leaderboard keeps its rows and counts, only the shown name becomes the pseudonym. */
async function dashboardTotals() {
  const stats = await dashboardStats(readerContext(db, clinicId), { period: "all" });
  return { ...stats, leaderboard: stats.leaderboard.map(({ name: _name, ...row }) => row) };
}

const ledgerSum = async () =>
  (await queryRows<{ n: number }>(db, sql`select coalesce(sum(amount_cents), 0)::int as n from ${creditLedger} where patient_id = ${patientId} and unit = 'credit'`))[0]?.n ?? 0;

const sumOf = async (table: "credit_ledger" | "balance_adjustments", ids: string[]) =>
  (await queryRows<{ n: number }>(db, sql`select coalesce(sum(${sql.raw(table === "credit_ledger" ? "amount_cents" : "amount")}), 0)::int as n from ${sql.raw(table)} where patient_id in ${ids}`))[0]?.n ?? 0;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const clinic = await clinicOf(db, DEMO_SLUG);
  clinicId = clinic.id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  const staff = callerAs(db, staffId);
  const service = (await firstService(db, clinicId)).id;
  const pay = (id: string) => staff.clinic.recordOrder({ patientId: id, items: [{ serviceId: service, quantity: 1 }], idempotencyKey: key() });

  // The patient was referred by Rowena, and referred Rowan and a second friend in turn.
  referrerId = (await signUpPatient(db, { firstName: "Rowena" })).userId;
  patientId = (await signUpPatient(db, { code: await codeOf(db, referrerId), email, phone: `+${phoneDigits}`, firstName, lastName })).userId;
  oldCode = await codeOf(db, patientId);
  // Rule A2: the referrer is told "Zephyrine joined", as the message job writes it.
  const [joined] = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "referral.created"), sql`${domainEvents.data}->>'refereeId' = ${patientId}`));
  await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: joined?.id ?? "" });
  await pay(patientId);
  const friend = await signUpPatient(db, { code: oldCode, firstName: "Rowan" });
  friendId = friend.userId;
  // Money: a friend's paid order releases the patient's referrer reward.
  await pay(friendId);
  // Rule P6: a throwaway address is flagged; staff reject it with a note that names the patient.
  flaggedId = (await signUpPatient(db, { code: oldCode, firstName: "Sable", email: `sable-${randomUUID().slice(0, 8)}@mailinator.com` })).userId;
  await pay(flaggedId);
  const [flagged] = await db.select().from(referrals).where(eq(referrals.refereeId, flaggedId));
  await staff.review.reject({ referralId: flagged?.id ?? "", reason: `${firstName}'s sister, same household as ${firstName.toLowerCase()}` });

  // Rule C4: notes typed by staff on the patient's rows and on their referrer's and friend's.
  const adjust = (id: string, amount: number, reason: string) => staff.review.adjust({ patientId: id, unit: "credit", amount, reason, idempotencyKey: key() });
  await adjust(patientId, 500, `Goodwill for ${firstName} after the long wait`);
  await adjust(referrerId, 200, `Thanks for referring ${lastName.toUpperCase()}, call +1 (415) 555-0199`);
  await adjust(friendId, 300, `Brought in by ${firstName} ${lastName} (${email})`);
  const [referrersReward] = await db.select().from(rewards).where(eq(rewards.patientId, referrerId));
  await staff.review.reverseReward({ rewardId: referrersReward?.id ?? "", reason: `Duplicate: ${firstName.toUpperCase()} was a patient already` });
  // Another patient's note that names the patient by email (erased), and one that does not (kept).
  bystanderId = (await signUpPatient(db, { firstName: "Bystander" })).userId;
  await adjust(bystanderId, 100, `Asked about ${email} at the desk`);
  await adjust(bystanderId, 100, "Asked about the new opening hours");

  // A pending message to the patient, and a staff note that names them.
  await db.transaction(async (tx) => {
    await queueMessage(tx, { clinicId, kind: "patient.welcome", to: email, recipientId: patientId, subject: `Welcome, ${firstName}`, body: `Hi ${firstName} Fischer` });
    await queueMessage(tx, { clinicId, kind: "patient.welcome", channel: "sms", to: `+${phoneDigits}`, recipientId: patientId, subject: "", body: `Hi ${firstName}` });
    await queueMessage(tx, { clinicId, kind: "staff.digest_daily", to: "staff@demo.test", recipientId: staffId, subject: "Today", body: `New sign-up: ${firstName} ${lastName} (${email}).` });
  });

  // Rules A2, N7: the patient's unsubscribe link and an SMS STOP, as the app stores them.
  expect(await unsubscribe(db, unsubscribeToken({ clinicId, kind: "patient.share_reminder", address: email }))).toEqual({ kind: "patient.share_reminder" });
  await handleInboundSms(db, { from: `+${phoneDigits}`, body: "STOP" });

  // Rule A5: a Stripe payment whose receipt email is the patient's.
  const inbound = await createInboundEndpoint({ db, actor: staffActor(adminId, clinicId), clinicId }, { provider: "stripe" });
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, object: "event", type: "payment_intent.succeeded", data: { object: { id: "pi_erase", amount_received: 100, receipt_email: email } } });
  const received = await receiveInbound({ db }, { provider: "stripe", endpointId: inbound.id, body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: inbound.signingSecret }) });
  if (received.kind === "accepted") await processInboundEvent({ db }, { inboundEventId: received.eventId });

  // Rule A4: a receiver that echoed the patient's email into the delivery log.
  const endpoint = await createEndpoint({ db, actor: staffActor(adminId, clinicId), clinicId }, {
    url: "https://crm.example.com/hook",
    events: ["*"],
    description: "CRM",
    mayReceiveContactDetails: true,
    resolve: async () => [{ address: "93.184.215.14", family: 4 }],
  });
  const { deliveryId } = await sendTestEvent({ db, actor: staffActor(adminId, clinicId), clinicId }, { endpointId: endpoint.id });
  await db.insert(webhookAttempts).values({ deliveryId, attempt: 1, statusCode: 200, latencyMs: 12, responseExcerpt: `{"ok":true,"email":"${email}"}`, succeeded: true });
});
afterAll(() => handle.drop());

describe("erasure on request (rule N3)", () => {
  let before: { dashboard: unknown; ledger: number; balance: number; people: number; adjustments: number };
  const people = () => [patientId, referrerId, friendId, flaggedId, bystanderId];

  it("rule N3: the patient's email, phone and name are in the stores before erasure (the search can fail)", async () => {
    expect(await storesHolding(email)).toEqual(expect.arrayContaining(["public.users.email", "public.message_suppressions.address", "public.outbox_messages.to", "public.inbound_events.payload", "public.webhook_attempts.response_excerpt", "public.balance_adjustments.reason", "public.audit_log.reason", "public.activity_events.detail"]));
    expect(await storesHolding(firstName)).toEqual(expect.arrayContaining(["public.outbox_messages.body", "public.balance_adjustments.reason", "public.rewards.status_reason", "public.referrals.review_note", "public.activity_events.detail", "public.audit_log.reason"]));
    expect(await storesHolding(lastName)).toEqual(expect.arrayContaining(["public.users.last_name", "public.balance_adjustments.reason", "public.audit_log.reason"]));
    expect(await storesHolding(phoneDigits)).toEqual(expect.arrayContaining(["public.users.phone_normalized", "public.message_suppressions.address"]));
    expect(await storesHolding("555-0199")).toEqual(expect.arrayContaining(["public.balance_adjustments.reason"]));
    expect(await storesHolding(firstName)).toContain("public.users.first_name");
    before = {
      dashboard: await dashboardTotals(),
      ledger: await ledgerSum(),
      balance: (await callerAs(db, staffId).patients.record({ patientId })).balanceCents,
      people: await sumOf("credit_ledger", people()),
      adjustments: await sumOf("balance_adjustments", people()),
    };
    expect(before.ledger).toBeGreaterThan(0);
  });

  it("rule N3: an admin erases the patient; no table of any schema holds their email, phone or name", async () => {
    const answer = await callerAs(db, adminId).patients.erase({ patientId, reason: `Written request from ${firstName}, received at the desk.` });
    expect(answer).toEqual({ patientId, alreadyErased: false });
    expect(await storesHolding(email)).toEqual([]);
    expect(await storesHolding(phoneDigits)).toEqual([]);
    expect(await storesHolding("555-0199")).toEqual([]);
    expect(await storesHolding(firstName)).toEqual([]);
    expect(await storesHolding(lastName)).toEqual([]);
  });

  it("rule N3: staff notes that named the patient, on their rows and their referrer's and friends', read [erased]; other notes and every amount stay", async () => {
    const notes = await db.select({ patientId: balanceAdjustments.patientId, amount: balanceAdjustments.amount, reason: balanceAdjustments.reason }).from(balanceAdjustments).where(inArray(balanceAdjustments.patientId, people()));
    expect(notes.map(({ patientId: id, ...n }) => ({ who: people().indexOf(id), ...n })).sort((a, b) => a.who - b.who || (a.reason < b.reason ? -1 : 1))).toEqual([
      { who: 0, amount: 500, reason: "[erased]" },
      { who: 1, amount: 200, reason: "[erased]" },
      { who: 2, amount: 300, reason: "[erased]" },
      { who: 4, amount: 100, reason: "Asked about the new opening hours" },
      { who: 4, amount: 100, reason: "[erased]" },
    ]);
    const reasons = await db.select({ status: rewards.status, reason: rewards.statusReason, amount: rewards.amount }).from(rewards).where(inArray(rewards.status, ["reversed", "withheld"]));
    expect(reasons.filter((r) => r.reason === "[erased]").map((r) => r.status).sort()).toEqual(["reversed", "withheld", "withheld"]);
    const [rejected] = await db.select().from(referrals).where(eq(referrals.refereeId, flaggedId));
    expect(rejected?.reviewNote).toBe("[erased]");
    const staffActions = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), inArray(auditLog.action, ["credit.adjust", "referral.reject", "reward.reverse", "patient.erase"])));
    expect(staffActions.filter((e) => e.reason === "[erased]").map((e) => e.action).sort()).toEqual(["credit.adjust", "credit.adjust", "credit.adjust", "credit.adjust", "referral.reject", "reward.reverse"]);
    expect(staffActions.every((e) => e.actorId === (e.action === "patient.erase" ? adminId : staffId))).toBe(true);
    expect(staffActions.find((e) => e.action === "patient.erase")?.reason).toBe("Written request from [erased], received at the desk.");
    const activity = await db.select({ detail: activityEvents.detail }).from(activityEvents).where(and(eq(activityEvents.clinicId, clinicId), inArray(activityEvents.patientId, people()), sql`${activityEvents.detail} ? 'reason'`, inArray(activityEvents.type, ["adjustment", "rejection", "reversal"])));
    expect(activity.map((a) => a.detail?.reason).sort()).toEqual(["Asked about the new opening hours", "[erased]", "[erased]", "[erased]", "[erased]", "[erased]", "[erased]"]);
    expect(await sumOf("credit_ledger", people())).toBe(before.people);
    expect(await sumOf("balance_adjustments", people())).toBe(before.adjustments);
  });

  it("rules C4, N3: outside an erasure, the audit log still refuses every update and delete", async () => {
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "credit.adjust"), eq(auditLog.targetId, bystanderId), sql`${auditLog.reason} <> '[erased]'`));
    const id = entry?.id ?? "";
    // The trigger raises integrity_constraint_violation (23000).
    const refused = { code: "23000", message: expect.stringMatching(/append-only/) };
    expect(await pgRefusal(db.update(auditLog).set({ reason: "[erased]" }).where(eq(auditLog.id, id)))).toMatchObject(refused);
    const inErasure = (change: SQL) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('app.erasure', 'on', true)`);
        await tx.execute(change);
      });
    expect(await pgRefusal(inErasure(sql`update audit_log set reason = 'Something else' where id = ${id}`))).toMatchObject(refused);
    expect(await pgRefusal(inErasure(sql`update audit_log set action = 'credit.forged', reason = '[erased]' where id = ${id}`))).toMatchObject(refused);
    expect(await pgRefusal(inErasure(sql`delete from audit_log where id = ${id}`))).toMatchObject(refused);
    // The flag is the transaction's own: the next one is refused again.
    expect(await pgRefusal(db.update(auditLog).set({ reason: "[erased]" }).where(eq(auditLog.id, id)))).toMatchObject(refused);
    expect((await db.select().from(auditLog).where(eq(auditLog.id, id)))[0]).toEqual(entry);
  });

  it("rule N3: the account is disabled, its sessions ended, its address a unique non-deliverable placeholder", async () => {
    const [row] = await db.select().from(users).where(eq(users.id, patientId));
    expect(row?.email).toBe(`erased-${patientId}@erased.invalid`);
    expect(row?.disabledAt).not.toBeNull();
    expect(row?.passwordHash).toBeNull();
    expect(row?.phoneNormalized).toBeNull();
    const open = await db.select().from(authSessions).where(and(eq(authSessions.userId, patientId), sql`${authSessions.endedAt} is null`));
    expect(open).toEqual([]);
  });

  it("rule N3: the dashboard totals, the ledger sum and the balance are unchanged", async () => {
    expect(await dashboardTotals()).toEqual(before.dashboard);
    expect((await dashboardStats(readerContext(db, clinicId), { period: "all" })).leaderboard.find((r) => r.patientId === patientId)?.name).toBe("Erased P.");
    expect(await ledgerSum()).toBe(before.ledger);
    expect((await callerAs(db, staffId).patients.record({ patientId })).balanceCents).toBe(before.balance);
  });

  it("rule N3: pending messages to the patient are cancelled, none left pending", async () => {
    const rows = await db.select().from(outboxMessages).where(eq(outboxMessages.recipientId, patientId));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((m) => m.status === "pending")).toEqual([]);
    expect(rows.filter((m) => m.lastError?.includes("rule N3")).length).toBeGreaterThanOrEqual(2);
    // A message to someone else keeps its text, the patient's details replaced.
    const [toStaff] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.recipientId, staffId), eq(outboxMessages.subject, "Today")));
    expect(toStaff?.body).toBe("New sign-up: [erased] ([erased]).");
    expect(toStaff?.to).toBe("staff@demo.test");
    // The referrer's "your friend joined" keeps its sense without the name.
    const [joined] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.recipientId, referrerId), eq(outboxMessages.kind, "referral.friend_joined")));
    expect(joined?.subject).toBe("[erased] joined Maple Street Dental through your link");
  });

  it("rule N3: the old code no longer attributes (rules P2, P4)", async () => {
    expect((await resolveLanding({ db }, { code: oldCode })).kind).toBe("rotated");
    await expect(signUpPatient(db, { code: oldCode })).rejects.toThrow(/no longer active/);
    const active = await db.select().from(referralCodes).where(and(eq(referralCodes.patientId, patientId), sql`${referralCodes.rotatedAt} is null`));
    expect(active).toEqual([]);
  });

  it("rule N3: the request, who made it and when are audited; a patient.erased event with ids only", async () => {
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "patient.erase"), eq(auditLog.targetId, patientId)));
    expect(entry).toMatchObject({ actorId: adminId, actorKind: "staff", clinicId, reason: "Written request from [erased], received at the desk." });
    expect(entry?.createdAt).toBeInstanceOf(Date);
    const events = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "patient.erased"), eq(domainEvents.clinicId, clinicId)));
    expect(events.map((e) => e.data)).toEqual([{ patientId }]);
  });

  it("rule N3: erasing twice is harmless: nothing changes, no second event or audit entry", async () => {
    const [row] = await db.select().from(users).where(eq(users.id, patientId));
    const again = await callerAs(db, adminId).patients.erase({ patientId, reason: "Clicked twice." });
    expect(again).toEqual({ patientId, alreadyErased: true });
    expect((await db.select().from(users).where(eq(users.id, patientId)))[0]).toEqual(row);
    expect(await db.select().from(domainEvents).where(eq(domainEvents.type, "patient.erased"))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "patient.erase"))).toHaveLength(1);
  });

  it("rule N3: staff without the admin role, another clinic's admin and a patient are refused", async () => {
    const other = (await signUpPatient(db, { firstName: "Kept" })).userId;
    await expect(callerAs(db, staffId).patients.erase({ patientId: other, reason: "Not mine to do." })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const otherAdmin = (await userByEmail(db, "admin@second.test")).id;
    await expect(callerAs(db, otherAdmin).patients.erase({ patientId: other, reason: "Wrong clinic." })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(db, other).patients.erase({ patientId: other, reason: "Myself." })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(db, null).patients.erase({ patientId: other, reason: "Nobody." })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await db.select().from(users).where(eq(users.id, other)))[0]?.firstName).toBe("Kept");
  });

  itConcurrently("rule N3: two admins erasing at once: one erasure, one event, one audit entry", async () => {
    const target = (await signUpPatient(db, { firstName: "Concurrent" })).userId;
    const answers = await Promise.all([0, 1].map((i) => callerAs(db, adminId).patients.erase({ patientId: target, reason: `Request, click ${i + 1}.` })));
    expect(answers.map((a) => a.alreadyErased).sort()).toEqual([false, true]);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.action, "patient.erase"), eq(auditLog.targetId, target)))).toHaveLength(1);
    expect(await db.select().from(domainEvents).where(and(eq(domainEvents.type, "patient.erased"), sql`${domainEvents.data}->>'patientId' = ${target}`))).toHaveLength(1);
  });
});
