import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { clinics, outboxMessages, users } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, paymentEvent, signUpPatient } from "@/server/testing/fixtures";
import { startTwilioSink } from "@/server/testing/twilio-sink";
import { slackChannel, type MessageChannels } from "./channels";
import { composeForEvent } from "@/server/services/messages/compose";
import { deliverMessage } from "./deliver";

/**
 * Rules N7, A2 (issue 19 item 8, issue 20 item 8): quiet hours through composing and delivering,
 * to a local server that speaks Twilio's API. Each step is run by hand at a chosen time, as the
 * event job and the delivery job would run it. The clinic keeps its quiet hours in UTC here, so
 * the times read plainly: quiet from 20:00 to 08:00.
 */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let twilio: Awaited<ReturnType<typeof startTwilioSink>>;
let channels: MessageChannels;
let clinicId: string;
let serviceId: string;

beforeAll(async () => {
  handle = await createTestDb();
  twilio = await startTwilioSink();
  channels = { email: null, sms: twilio.channel, slack: slackChannel() };
  clinicId = (await clinicOf(handle.db, DEMO_SLUG)).id;
  serviceId = (await firstService(handle.db, clinicId)).id;
  await handle.db.update(clinics).set({ timeZone: "UTC", quietHoursStart: 20, quietHoursEnd: 8, shareReminderDays: 2 }).where(eq(clinics.id, clinicId));
}, 60_000);

afterAll(async () => {
  await twilio?.close();
  await handle?.drop();
});

const DAY = 24 * 3600_000;
/** Today (UTC) at this hour and minute, plus whole days. */
function at(days: number, hour: number, minute = 0): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute) + days * DAY);
}

let phones = 0;
/** A patient who ticked SMS (and marketing) themselves, with a number of their own. */
async function consentingPatient(options: { code?: string } = {}) {
  phones += 1;
  const phone = `+1 617 555 ${String(1000 + phones)}`;
  const patient = await signUpPatient(handle.db, { phone, code: options.code });
  const [row] = await handle.db
    .update(users)
    .set({ smsOptInAt: new Date(), smsOptInWording: "Text me", marketingOptInAt: new Date() })
    .where(eq(users.id, patient.userId))
    .returning({ phone: users.phoneNormalized });
  return { ...patient, to: `+${row?.phone ?? ""}` };
}

async function eventOf(type: string, field: string, value: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(handle.db, sql`select id from domain_events where type = ${type} and data->>${field} = ${value}`);
  if (!row) throw new Error(`no ${type} event`);
  return row.id;
}

const smsTo = async (to: string, kind: string) => (await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, to), eq(outboxMessages.kind, kind), eq(outboxMessages.channel, "sms"))))[0];
const deliver = (id: string, now: Date) => deliverMessage(handle.db, channels, id, { lastAttempt: false, now });
const textsTo = (to: string) => twilio.sent.filter((s) => s.To === to);

async function jobStart(messageId: string): Promise<Date | null> {
  const [job] = await queryRows<{ start_after: Date }>(
    handle.db,
    sql`select start_after from pgboss.job where name = 'messages.send' and data->>'messageId' = ${messageId} order by created_on desc limit 1`,
  );
  return job ? new Date(job.start_after) : null;
}

describe("rule N7: quiet hours are kept when a message is written and at every delivery attempt", () => {
  it("a friend joins at 23:30: the text is due at 08:00, an attempt at night sends nothing, the 08:00 one reaches Twilio", async () => {
    const referrer = await consentingPatient();
    const friend = await signUpPatient(handle.db, { firstName: "Nora", code: await codeOf(handle.db, referrer.userId) });
    await composeForEvent({ db: handle.db, actor: systemActor("messages.events"), clinicId: null }, { eventId: await eventOf("referral.created", "refereeId", friend.userId), now: at(0, 23, 30) });
    const sms = await smsTo(referrer.to, "referral.friend_joined");
    expect(sms).toMatchObject({ status: "pending", sendAfter: at(1, 8) });
    expect(await jobStart(sms?.id ?? "")).toEqual(at(1, 8));

    await deliver(sms?.id ?? "", at(0, 23, 31));
    expect(textsTo(referrer.to)).toEqual([]);
    await deliver(sms?.id ?? "", at(1, 8, 0));
    expect(textsTo(referrer.to)).toHaveLength(1);
    expect(textsTo(referrer.to)[0]?.Body).toContain("Nora");
    expect((await smsTo(referrer.to, "referral.friend_joined"))?.status).toBe("sent");
  });

  it("a text written by day but attempted at 22:00 (a retry, a backlog) waits until 08:00, its job moved with it", async () => {
    const referrer = await consentingPatient();
    const friend = await signUpPatient(handle.db, { code: await codeOf(handle.db, referrer.userId) });
    await composeForEvent({ db: handle.db, actor: systemActor("messages.events"), clinicId: null }, { eventId: await eventOf("referral.created", "refereeId", friend.userId), now: at(0, 14) });
    const sms = await smsTo(referrer.to, "referral.friend_joined");
    expect(sms).toMatchObject({ status: "pending", sendAfter: null });

    await deliver(sms?.id ?? "", at(0, 22));
    expect(textsTo(referrer.to)).toEqual([]);
    expect(await smsTo(referrer.to, "referral.friend_joined")).toMatchObject({ status: "pending", sendAfter: at(1, 8), attempts: 0 });
    expect(await jobStart(sms?.id ?? "")).toEqual(at(1, 8));
    await deliver(sms?.id ?? "", at(1, 8, 1));
    expect(textsTo(referrer.to)).toHaveLength(1);
  });
});

describe("rule A2: the share reminder, N days after a first paid visit, through composing and delivering", () => {
  const pay = (patientId: string) => recordPaidOrder({ db: handle.db, actor: paymentEvent(clinicId), clinicId }, { patientId, items: [{ serviceId, quantity: 1 }], idempotencyKey: key() });

  it("paid at 23:00, the reminder due two days later at 23:00 lands in quiet hours: it is texted at 08:00 the next morning, not expired", async () => {
    const patient = await consentingPatient();
    const order = await pay(patient.userId);
    await composeForEvent({ db: handle.db, actor: systemActor("messages.events"), clinicId: null }, { eventId: await eventOf("order.paid", "orderId", order.id), now: at(0, 23) });
    const email = (await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.recipientId, patient.userId), eq(outboxMessages.kind, "patient.share_reminder"), eq(outboxMessages.channel, "email"))))[0];
    expect(email?.sendAfter).toEqual(at(2, 23));
    const sms = await smsTo(patient.to, "patient.share_reminder");
    expect(sms).toMatchObject({ status: "pending", sendAfter: at(3, 8) });

    await deliver(sms?.id ?? "", at(2, 23));
    expect(textsTo(patient.to)).toEqual([]);
    await deliver(sms?.id ?? "", at(3, 8));
    expect(textsTo(patient.to)).toHaveLength(1);
    expect(textsTo(patient.to)[0]?.Body).toMatch(/friends who join through you/);
    expect((await smsTo(patient.to, "patient.share_reminder"))?.status).toBe("sent");
  });

  it("quiet hours changed after the reminder was written are the ones kept when it is due", async () => {
    const patient = await consentingPatient();
    const order = await pay(patient.userId);
    await composeForEvent({ db: handle.db, actor: systemActor("messages.events"), clinicId: null }, { eventId: await eventOf("order.paid", "orderId", order.id), now: at(0, 14) });
    const sms = await smsTo(patient.to, "patient.share_reminder");
    expect(sms?.sendAfter).toEqual(at(2, 14));
    await handle.db.update(clinics).set({ quietHoursStart: 12, quietHoursEnd: 18 }).where(eq(clinics.id, clinicId));
    try {
      await deliver(sms?.id ?? "", at(2, 14));
      expect(textsTo(patient.to)).toEqual([]);
      expect((await smsTo(patient.to, "patient.share_reminder"))?.sendAfter).toEqual(at(2, 18));
      await deliver(sms?.id ?? "", at(2, 18));
      expect(textsTo(patient.to)).toHaveLength(1);
    } finally {
      await handle.db.update(clinics).set({ quietHoursStart: 20, quietHoursEnd: 8 }).where(eq(clinics.id, clinicId));
    }
  });
});
