import type { Db } from "@/db/client";
import { activityEvents, b2bEvents } from "@/db/schema";
import { type Actor } from "./actor";
import type { ParsedEvent as Parsed } from "./catalog";

type ActivityRow = typeof activityEvents.$inferInsert;
type ActivityColumns = Omit<ActivityRow, "clinicId" | "eventId" | "actorId" | "createdAt" | "id">;

/**
 * What the projections may add to an event: a staff member's free-text reason. It is shown to
 * staff in the activity log (rule C2) and kept on the platform's timeline, never in the event's
 * payload (rule N3: payloads are ids, statuses and amounts).
 */
export type EmitNote = { reason?: string | null };

const credit = (unit: "credit" | "points", amount: number) => (unit === "credit" ? amount : null);

/**
 * Rule C2: the activity row of each event type the timeline shows, with the columns and detail
 * it always had. Types absent here (orders, appointments, program changes...) are not activity.
 * `staff` marks the manual actions whose row names the staff member who acted (rule C4).
 */
function activityOf(event: Parsed): (ActivityColumns & { staff?: true }) | null {
  switch (event.type) {
    case "referral.created": {
      const d = event.data;
      return { type: "sign_up", patientId: d.referrerId, referralId: d.referralId, codeId: d.codeId, detail: { refereeId: d.refereeId, source: d.source, ineligibleReason: d.ineligibleReason } };
    }
    case "referral.flagged":
      return { type: "flag", patientId: event.data.referrerId, referralId: event.data.referralId, detail: { flags: event.data.flags.join(", ") } };
    case "referral.approved":
      return { type: "approval", patientId: event.data.referrerId, referralId: event.data.referralId, detail: {}, staff: true };
    case "referral.rejected":
      return { type: "rejection", patientId: event.data.referrerId, referralId: event.data.referralId, detail: {}, staff: true };
    case "referral.qualified":
      return { type: "qualification", patientId: event.data.referrerId, referralId: event.data.referralId, detail: { event: event.data.qualifyingEvent } };
    case "referral.attributed":
      return { type: "override", patientId: event.data.referrerId, referralId: event.data.referralId, detail: { refereeId: event.data.refereeId }, staff: true };
    case "reward.issued": {
      const d = event.data;
      return {
        type: "reward",
        patientId: d.patientId,
        referralId: d.referralId,
        amountCents: d.kind === "credit" ? d.amount : null,
        detail: { side: d.side, kind: d.kind, amount: d.amount, status: d.status, reason: d.statusReason },
      };
    }
    case "reward.reversed": {
      const d = event.data;
      return {
        type: "reversal",
        patientId: d.patientId,
        referralId: d.referralId,
        amountCents: d.kind === "credit" ? d.reversedAmount : null,
        detail: { rewardId: d.rewardId, reversed: d.reversedAmount, alreadyRedeemed: d.redeemedAmount, kind: d.kind },
        staff: true,
      };
    }
    case "reward.expired":
      return { type: "expiry", patientId: event.data.patientId, amountCents: credit(event.data.unit, event.data.amount), detail: { unit: event.data.unit, amount: event.data.amount } };
    case "credit.redeemed":
      return { type: "redemption", patientId: event.data.patientId, amountCents: event.data.amountCents, detail: { orderId: event.data.orderId } };
    // Rule C2: credit captured at the clinic's own checkout (A7) shows like a redemption at ours.
    case "credit.captured":
      return event.data.amountCents > 0 ? { type: "redemption", patientId: event.data.patientId, amountCents: event.data.amountCents, detail: { reservationId: event.data.reservationId } } : null;
    case "credit.adjusted":
      return { type: "adjustment", patientId: event.data.patientId, amountCents: credit(event.data.unit, event.data.amount), detail: { unit: event.data.unit, amount: event.data.amount }, staff: true };
    case "code.rotated":
      return { type: "code_rotation", patientId: event.data.patientId, codeId: event.data.codeId, detail: {}, staff: true };
    default:
      return null;
  }
}

/** The platform timeline's word for each partner-program event (what b2b_events.kind always held). */
function b2bKindOf(event: Parsed): { referralId: string; kind: string } | null {
  switch (event.type) {
    case "b2b.submission.created":
      return { referralId: event.data.referralId, kind: "submitted" };
    case "b2b.status_changed":
      return { referralId: event.data.referralId, kind: event.data.to };
    case "b2b.payment.recorded":
      return { referralId: event.data.referralId, kind: "payment" };
    case "b2b.contract_ended":
      return { referralId: event.data.referralId, kind: "contract_ended" };
    default:
      return null;
  }
}

type Projected = { eventId: string; clinicId: string | null; event: Parsed; note?: EmitNote };

/**
 * Writes the read models of recorded events in the caller's transaction: the clinic's activity
 * row (rule C2) and the partner program's timeline row. They commit or roll back with the
 * events, so the activity log and the dashboard read what they always read, at their speed.
 * Many events (an import's batch) are one insert per read model.
 */
export async function project(tx: Db, actor: Actor, items: Projected[]): Promise<void> {
  const staffId = actor.kind === "staff" ? actor.id : null;
  const activity: (typeof activityEvents.$inferInsert)[] = [];
  const partner: (typeof b2bEvents.$inferInsert)[] = [];
  for (const { eventId, clinicId, event, note } of items) {
    const reason = note?.reason?.trim() || null;
    const row = clinicId ? activityOf(event) : null;
    if (row && clinicId) {
      const { staff, detail, ...columns } = row;
      activity.push({ ...columns, clinicId, eventId, actorId: staff ? staffId : null, detail: reason ? { ...detail, reason } : detail });
    }
    const b2b = b2bKindOf(event);
    if (b2b) partner.push({ ...b2b, eventId, actorId: staffId, detail: reason ? { ...event.data, reason } : event.data });
  }
  if (activity.length) await tx.insert(activityEvents).values(activity);
  if (partner.length) await tx.insert(b2bEvents).values(partner);
}
