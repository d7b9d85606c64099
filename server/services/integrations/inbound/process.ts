import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundEndpoints, inboundEvents, orders, users } from "@/db/schema";
import { type Actor, webhookActor } from "@/server/events/actor";
import { submitReferralInput } from "@/server/schemas/b2b";
import { cancelBooking, recordBooking } from "@/server/services/orders/appointments";
import { submitReferral } from "@/server/services/partners/submissions";
import type { ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { normalizeEmail } from "@/server/kernel/contact";
import { recordProviderPayment, refundOrder } from "@/server/services/orders/orders";

type Json = Record<string, unknown>;
type Result = { status: "processed" | "ignored"; outcome: string };

const obj = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const int = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) ? value : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ignored events say why; failures throw a DomainError whose message the console shows. */
class Unprocessable extends DomainError {
  constructor(message: string) {
    super("invalid", message);
  }
}

/**
 * Rule A5: processes one stored inbound event through the same services as the console, with a
 * webhook actor (audited like a person). Whatever happens is written on the event; only the run
 * that moves it out of `received` writes, so a repeated job changes nothing twice. The context
 * is the database alone: who acts is the provider the stored event names (its signature was
 * checked when it was received), known only once the event is read.
 */
export async function processInboundEvent(ctx: Pick<ServiceContext, "db">, input: { inboundEventId: string }): Promise<void> {
  const [row] = await ctx.db
    .select({ event: inboundEvents, fieldMapping: inboundEndpoints.fieldMapping })
    .from(inboundEvents)
    .innerJoin(inboundEndpoints, eq(inboundEndpoints.id, inboundEvents.endpointId))
    .where(eq(inboundEvents.id, input.inboundEventId));
  if (!row || row.event.status !== "received" || !row.event.payload) return;
  const { event } = row;
  const actor = webhookActor(event.provider, event.providerEventId, event.clinicId);
  let result: Result | { status: "failed"; outcome: string };
  try {
    result = await dispatch(ctx.db, actor, { ...event, payload: event.payload ?? {} }, row.fieldMapping);
  } catch (error) {
    // Only a problem with the event itself is the event's failure; anything else is the job's, and retried.
    if (!(error instanceof DomainError)) throw error;
    result = { status: "failed", outcome: error.message };
  }
  await ctx.db
    .update(inboundEvents)
    .set({ status: result.status, outcome: result.outcome.slice(0, 500), processedAt: new Date(), attempts: sql`${inboundEvents.attempts} + 1` })
    .where(and(eq(inboundEvents.id, event.id), eq(inboundEvents.status, "received")));
}

type StoredEvent = { clinicId: string | null; provider: string; type: string; payload: Json };

async function dispatch(db: Db, actor: Actor, event: StoredEvent, fieldMapping: Record<string, string> | null): Promise<Result> {
  if (event.provider === "typeform") {
    // Issue 19: partner-program intake belongs to the platform; a clinic's Typeform endpoint writes nothing.
    if (event.clinicId) throw new Unprocessable("Typeform submissions feed the platform's partner program only; this clinic's endpoint is not processed.");
    return typeformResponse(db, event, fieldMapping);
  }
  if (!event.clinicId) throw new Unprocessable("This endpoint belongs to no clinic.");
  const clinicId = event.clinicId;
  if (event.provider === "stripe") return stripeEvent(db, actor, clinicId, event);
  return calendlyEvent(db, actor, clinicId, event);
}

async function patientByEmail(db: Db, clinicId: string, email: string | null) {
  if (!email) return null;
  const [patient] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.emailNormalized, normalizeEmail(email)), eq(users.role, "patient")))
    .limit(1);
  return patient?.id ?? null;
}

async function patientById(db: Db, clinicId: string, id: string | null) {
  if (!id || !UUID.test(id)) return null;
  const [patient] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.clinicId, clinicId), eq(users.role, "patient")));
  return patient?.id ?? null;
}

const paymentKey = (paymentIntent: string) => `stripe:${paymentIntent}`;

/**
 * Stripe: `checkout.session.completed` (paid) and `payment_intent.succeeded` record one paid order
 * per payment intent; `charge.refunded` refunds it when fully refunded (rule P13).
 */
async function stripeEvent(db: Db, actor: Actor, clinicId: string, event: StoredEvent): Promise<Result> {
  const object = obj(obj(event.payload.data).object);
  const metadata = obj(object.metadata);
  switch (event.type) {
    case "checkout.session.completed":
    case "payment_intent.succeeded": {
      const session = event.type === "checkout.session.completed";
      if (session && object.payment_status !== "paid") return { status: "ignored", outcome: "The checkout is not paid yet." };
      const paymentIntent = session ? str(object.payment_intent) : str(object.id);
      const amount = session ? int(object.amount_total) : (int(object.amount_received) ?? int(object.amount));
      if (!paymentIntent || amount === null || amount <= 0) throw new Unprocessable("The event names no payment intent or no amount paid.");
      const email = session ? (str(obj(object.customer_details).email) ?? str(object.customer_email)) : str(object.receipt_email);
      const patientId = (await patientById(db, clinicId, str(metadata.patient_id))) ?? (await patientByEmail(db, clinicId, email));
      if (!patientId) throw new Unprocessable("No patient of this clinic matches the payment's metadata.patient_id or customer email.");
      const { order, created } = await recordProviderPayment({ db, actor, clinicId }, {
        patientId,
        amountCents: amount,
        serviceId: str(metadata.service_id),
        paymentRef: paymentIntent,
        idempotencyKey: paymentKey(paymentIntent),
      });
      return { status: "processed", outcome: created ? `Paid order ${order.id} recorded.` : `The payment was already recorded as order ${order.id}.` };
    }
    case "charge.refunded": {
      const paymentIntent = str(object.payment_intent);
      if (!paymentIntent) throw new Unprocessable("The refund names no payment intent.");
      const [order] = await db.select().from(orders).where(and(eq(orders.clinicId, clinicId), eq(orders.idempotencyKey, paymentKey(paymentIntent))));
      if (!order) throw new Unprocessable("No order was recorded for this payment.");
      const amount = int(object.amount) ?? 0;
      const refunded = int(object.amount_refunded) ?? 0;
      if (object.refunded !== true && refunded < amount) {
        // A partial refund keeps the order paid and its rewards in place.
        return { status: "processed", outcome: `Partial refund of ${refunded} of ${amount} cents noted on order ${order.id}; rewards kept.` };
      }
      const { reversal } = await refundOrder({ db, actor, clinicId }, { orderId: order.id, reason: "Refunded in Stripe" });
      return { status: "processed", outcome: `Order ${order.id} refunded${reversal?.length ? `; ${reversal.length} reward(s) reversed` : ""}.` };
    }
    default:
      return { status: "ignored", outcome: `Stripe event ${event.type} is not one we act on.` };
  }
}

/** Calendly: `invitee.created` books (rule P7 "first booked appointment"), `invitee.canceled` cancels; the invitee matched by email. */
async function calendlyEvent(db: Db, actor: Actor, clinicId: string, event: StoredEvent): Promise<Result> {
  const invitee = obj(event.payload.payload);
  const uri = str(invitee.uri);
  if (!uri) throw new Unprocessable("The event names no invitee.");
  const key = `calendly:${uri}`;
  switch (event.type) {
    case "invitee.created": {
      const patientId = await patientByEmail(db, clinicId, str(invitee.email));
      if (!patientId) throw new Unprocessable("No patient of this clinic has the invitee's email.");
      const start = new Date(str(obj(invitee.scheduled_event).start_time) ?? "");
      if (Number.isNaN(start.getTime())) throw new Unprocessable("The booking has no start time.");
      const booked = await recordBooking({ db, actor, clinicId }, { patientId, scheduledFor: start, idempotencyKey: key });
      return { status: "processed", outcome: `Appointment ${booked.id} booked.` };
    }
    case "invitee.canceled": {
      const cancelled = await cancelBooking({ db, actor, clinicId }, { idempotencyKey: key });
      return cancelled ? { status: "processed", outcome: `Appointment ${cancelled.id} cancelled.` } : { status: "ignored", outcome: "No open booking for this invitee." };
    }
    default:
      return { status: "ignored", outcome: `Calendly event ${event.type} is not one we act on.` };
  }
}

/** One answer's value, whatever its Typeform type. */
function answerValue(answer: Json): unknown {
  for (const key of ["text", "email", "phone_number", "url", "boolean", "number", "date"]) if (key in answer) return answer[key];
  const choice = obj(answer.choice);
  return str(choice.label) ?? str(choice.ref) ?? null;
}

/**
 * Typeform: a `form_response` becomes a practice referral (rule B1) through the field mapping the
 * platform admin set (answer ref -> referral field), screened like any other submission (B2).
 */
async function typeformResponse(db: Db, event: StoredEvent, mapping: Record<string, string> | null): Promise<Result> {
  if (event.type !== "form_response") return { status: "ignored", outcome: `Typeform event ${event.type} is not one we act on.` };
  if (!mapping || !Object.keys(mapping).length) throw new Unprocessable("Set the field mapping of this Typeform endpoint first.");
  const response = obj(event.payload.form_response);
  const values: Json = {};
  for (const raw of Array.isArray(response.answers) ? response.answers : []) {
    const answer = obj(raw);
    const field = mapping[str(obj(answer.field).ref) ?? ""] ?? mapping[str(obj(answer.field).id) ?? ""];
    if (field) values[field] = answerValue(answer);
  }
  for (const [ref, value] of Object.entries(obj(response.hidden))) if (mapping[ref]) values[mapping[ref]] = value;
  const token = str(response.token);
  if (!token) throw new Unprocessable("The response has no token.");
  const parsed = submitReferralInput.safeParse({ region: "", website: "", nickname: "", ...values, idempotencyKey: `typeform:${token}`.slice(0, 100) });
  if (!parsed.success) throw new Unprocessable(`The response does not make a complete referral: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  const result = await submitReferral({ db }, { ...parsed.data, ipHash: null, sessionUserId: null });
  return { status: "processed", outcome: result.duplicate ? "Practice referral recorded as a duplicate." : "Practice referral submitted." };
}
