import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { domainEvents, outboxMessages } from "@/db/schema";
import { patientActor, staffActor, systemActor } from "@/server/events/actor";
import { adjustBalance } from "@/server/services/referrals/controls";
import { balances } from "@/server/services/rewards/ledger";
import { checkout } from "@/server/services/orders/orders";
import { TEST_CARDS, TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { composeForEvent } from "@/server/services/messages/compose";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let serviceId: string;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  serviceId = (await firstService(db, clinicId)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

/** What the messages worker would do: compose for every event about the patient. */
async function composeAllFor(patientId: string) {
  const events = await db.select({ id: domainEvents.id }).from(domainEvents).where(sql`${domainEvents.data}->>'patientId' = ${patientId}`);
  for (const event of events) await composeForEvent({ db, actor: systemActor("messages.events"), clinicId: null }, { eventId: event.id });
}
const creditApplied = (patientId: string) => db.select({ body: outboxMessages.body }).from(outboxMessages).where(and(eq(outboxMessages.recipientId, patientId), eq(outboxMessages.kind, "credit.applied")));
const asAdmin = () => ({ db, actor: staffActor(adminId, clinicId), clinicId });

describe("rule A2: 'credit applied' is said once the order is paid", () => {
  it("a declined card says nothing (the credit went back); a paid order says it once, with the amount used", async () => {
    const patientId = (await signUpPatient(db)).userId;
    await adjustBalance(asAdmin(), { patientId, unit: "credit", amount: 1000, reason: "goodwill", idempotencyKey: key() });
    const payments = new TestPaymentProvider(db);
    const items = [{ serviceId, quantity: 1 }];

    const declined = await checkout({ db, actor: patientActor(patientId, clinicId), clinicId }, payments, { patientId, items, card: { number: TEST_CARDS.declined, expiry: "12/39", cvc: "123" }, idempotencyKey: key() });
    expect(declined.status).toBe("declined");
    expect((await balances(asAdmin(), { patientId })).credit).toBe(1000);
    await composeAllFor(patientId);
    expect(await creditApplied(patientId)).toHaveLength(0);

    const paid = await checkout({ db, actor: patientActor(patientId, clinicId), clinicId }, payments, { patientId, items, card: { number: TEST_CARDS.success, expiry: "12/39", cvc: "123" }, idempotencyKey: key() });
    expect(paid.status).toBe("paid");
    await composeAllFor(patientId);
    await composeAllFor(patientId);
    const said = await creditApplied(patientId);
    expect(said).toHaveLength(1);
    expect(said[0]?.body).toContain("$10 of your credit");
  });
});
