import { and, eq } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents, b2bEvents, domainEvents, referrals } from "@/db/schema";
import { platformCtx, submitPractice } from "@/server/testing/b2b";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, paymentEvent, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { acceptReferral } from "@/server/services/partners/lifecycle";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { adjustBalance } from "@/server/services/referrals/controls";
import { staffActor, systemActor } from "./actor";
import { domainEventSchema } from "./catalog";
import { emit } from "./emit";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId = "";
let staffId = "";
let platformId = "";
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  staffId = (await userByEmail(db, "staff@demo.test")).id;
  platformId = (await userByEmail(db, "platform@demo.test")).id;
});
afterAll(() => handle.drop());

const eventRows = (id: string) => db.select().from(domainEvents).where(eq(domainEvents.id, id));
const activityOf = (eventId: string) => db.select().from(activityEvents).where(eq(activityEvents.eventId, eventId));

async function aPatient() {
  return (await signUpPatient(db)).userId;
}

describe("rules A1, C2: emit records the event and its activity row in the caller's transaction", () => {
  it("rolled back, neither the domain event nor its activity row exists", async () => {
    const patientId = await aPatient();
    const before = await db.select().from(domainEvents).where(eq(domainEvents.type, "credit.adjusted"));
    let emitted = "";
    await expect(
      db.transaction(async (tx) => {
        emitted = await emit(tx, staffActor(staffId, clinicId), { type: "credit.adjusted", clinicId, data: { patientId, unit: "credit", amount: 500 } }, { reason: "goodwill" });
        expect(await tx.select().from(activityEvents).where(eq(activityEvents.eventId, emitted))).toHaveLength(1);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(emitted).not.toBe("");
    expect(await eventRows(emitted)).toEqual([]);
    expect(await activityOf(emitted)).toEqual([]);
    expect(await db.select().from(domainEvents).where(eq(domainEvents.type, "credit.adjusted"))).toHaveLength(before.length);
  });

  it("committed by staff, both exist: the event names the staff actor, the activity row the staff member and the reason", async () => {
    const patientId = await aPatient();
    const id = await db.transaction((tx) =>
      emit(tx, staffActor(staffId, clinicId), { type: "credit.adjusted", clinicId, data: { patientId, unit: "credit", amount: 500 } }, { reason: "goodwill" }),
    );
    const [event] = await eventRows(id);
    expect(event).toMatchObject({ type: "credit.adjusted", version: 1, actorKind: "staff", actorId: staffId, clinicId });
    // Rule N3: the payload is ids, statuses and amounts; the staff member's words stay out of it.
    expect(event?.data).toEqual({ patientId, unit: "credit", amount: 500 });
    const [row] = await activityOf(id);
    expect(row).toMatchObject({ type: "adjustment", clinicId, patientId, actorId: staffId, amountCents: 500, detail: { unit: "credit", amount: 500, reason: "goodwill" } });
    expect(row?.createdAt.getTime()).toBe(event?.createdAt.getTime());
  });

  it("committed by a job, the event names the job and its activity row names no staff member", async () => {
    const patientId = await aPatient();
    const grantId = crypto.randomUUID();
    const id = await db.transaction((tx) =>
      emit(tx, systemActor("runs.platform.daily"), { type: "reward.expired", clinicId, data: { grantId, patientId, unit: "credit", amount: 1200 } }),
    );
    expect((await eventRows(id))[0]).toMatchObject({ actorKind: "system", actorId: "runs.platform.daily" });
    expect((await activityOf(id))[0]).toMatchObject({ type: "expiry", patientId, actorId: null, amountCents: 1200, detail: { unit: "credit", amount: 1200 } });
  });

  it("an event the activity log does not show (an order paid) gets no activity row", async () => {
    const patientId = await aPatient();
    const orderId = crypto.randomUUID();
    const id = await db.transaction((tx) =>
      emit(tx, paymentEvent(clinicId), { type: "order.paid", clinicId, data: { orderId, patientId, totalCents: 100, creditCents: 0, paidCents: 100 } }),
    );
    expect((await eventRows(id))[0]).toMatchObject({ actorKind: "webhook" });
    expect(await activityOf(id)).toEqual([]);
  });
});

describe("rule N3: the catalog refuses personal data in a payload", () => {
  it("a payload with an email, or a field of the wrong kind, is refused and nothing is written", async () => {
    const patientId = await aPatient();
    const withEmail = { type: "patient.created", data: { patientId, source: "sign_up", email: "someone@example.com" } };
    expect(() => domainEventSchema.parse(withEmail)).toThrow(ZodError);
    const before = (await db.select().from(domainEvents).where(eq(domainEvents.clinicId, clinicId))).length;
    await expect(
      // @ts-expect-error the type refuses it too; the schema is what holds at run time
      db.transaction((tx) => emit(tx, staffActor(staffId, clinicId), { ...withEmail, clinicId })),
    ).rejects.toThrow(ZodError);
    await expect(
      // A name where an id belongs: the type allows a string, the schema does not.
      db.transaction((tx) => emit(tx, staffActor(staffId, clinicId), { type: "code.rotated", clinicId, data: { patientId: "Alex Patel", codeId: patientId } })),
    ).rejects.toThrow(ZodError);
    expect(await db.select().from(domainEvents).where(eq(domainEvents.clinicId, clinicId))).toHaveLength(before);
  });
});

describe("rules A1, C2: the services emit where the change is made", () => {
  it("a sign-up through a code and its paid order: created, qualified and rewarded events by the right actors, with the activity rows the log always had", async () => {
    const referrer = await aPatient();
    const { userId: referee } = await signUpPatient(db, { code: await codeOf(db, referrer) });
    const [referral] = await db.select().from(referrals).where(eq(referrals.refereeId, referee));
    if (!referral) throw new Error("no referral");
    const service = await firstService(db, clinicId);
    const actor = paymentEvent(clinicId);
    await recordPaidOrder({ db, actor, clinicId }, { patientId: referee, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });

    const events = await db.select().from(domainEvents).where(eq(domainEvents.clinicId, clinicId));
    const of = (type: string) => events.filter((e) => e.type === type && JSON.stringify(e.data).includes(referee));
    expect(of("patient.created")).toEqual([expect.objectContaining({ actorKind: "patient", actorId: referee, data: { patientId: referee, source: "sign_up" } })]);
    const [created] = of("referral.created");
    expect(created).toMatchObject({ actorKind: "patient", actorId: referee, data: { referralId: referral.id, source: "typed_code", status: "signed_up" } });
    const webhookId = `stripe:${actor.id}`;
    expect(of("order.paid")).toEqual([expect.objectContaining({ actorKind: "webhook", actorId: webhookId })]);
    expect(of("referral.qualified")).toEqual([expect.objectContaining({ actorKind: "webhook", actorId: webhookId })]);
    expect(events.filter((e) => e.type === "reward.issued" && (e.data as { referralId: string }).referralId === referral.id)).toHaveLength(2);
    expect(events.filter((e) => e.type === "reward.released" && (e.data as { referralId: string }).referralId === referral.id)).toHaveLength(2);

    const activity = await db.select().from(activityEvents).where(eq(activityEvents.referralId, referral.id));
    expect(activity.map((a) => a.type).sort()).toEqual(["qualification", "reward", "reward", "sign_up"]);
    expect(activity.find((a) => a.type === "sign_up")).toMatchObject({
      patientId: referrer,
      codeId: referral.codeId,
      detail: { refereeId: referee, source: "typed_code", ineligibleReason: null },
      eventId: created?.id,
    });
  });

  it("rule C4: an adjustment shows in the activity log by the staff member with the reason, which the event does not carry", async () => {
    const patientId = await aPatient();
    await adjustBalance({ db, actor: staffActor(staffId, clinicId), clinicId }, { patientId, unit: "credit", amount: 700, reason: "apology for the wait", idempotencyKey: key() });
    const page = await callerAs(db, staffId).activity.list({ patientId, types: ["adjustment"] });
    expect(page.rows).toEqual([expect.objectContaining({ type: "adjustment", summary: expect.stringContaining("by Sam O."), note: "Reason: apology for the wait", amountCents: 700 })]);
    const [event] = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "credit.adjusted"), eq(domainEvents.actorId, staffId)));
    expect(JSON.stringify(event?.data)).not.toContain("apology");
  });

  it("the partner program's timeline is the projection of its events: submitted, then accepted, by whom", async () => {
    const { referral } = await submitPractice(db);
    await acceptReferral(platformCtx(db, staffActor(platformId, null)), { referralId: referral.id });
    const timeline = await db.select().from(b2bEvents).where(eq(b2bEvents.referralId, referral.id));
    expect(timeline.map((e) => e.kind).sort()).toEqual(["accepted", "submitted"]);
    expect(timeline.find((e) => e.kind === "accepted")?.actorId).toBe(platformId);
    const [changed] = await db.select().from(domainEvents).where(and(eq(domainEvents.type, "b2b.status_changed"), eq(domainEvents.actorId, platformId)));
    expect(changed?.data).toMatchObject({ referralId: referral.id, from: "submitted", to: "accepted" });
    const detail = await callerAs(db, platformId).platformB2b.referral({ referralId: referral.id });
    expect(detail.events.map((e) => e.kind)).toEqual(["submitted", "accepted"]);
  });
});
