import { clockNow } from "@/server/kernel/clock";
import { and, eq } from "drizzle-orm";
import { appointments, users } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { qualifyReferral } from "@/server/services/rewards/qualify";

/**
 * Staff record a booking (rule P7 "first booked appointment"), keyed by an idempotency key so
 * a repeated submission records it once.
 */
export async function recordBooking(ctx: ServiceContext, input: { patientId: string; scheduledFor: Date; idempotencyKey: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [patient] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.patientId), eq(users.clinicId, clinicId), eq(users.role, "patient")));
    if (!patient) throw new DomainError("not_found", "No such patient at this clinic.");
    const [booked] = await tx
      .insert(appointments)
      .values({ clinicId, patientId: input.patientId, scheduledFor: input.scheduledFor, idempotencyKey: input.idempotencyKey, recordedById: actorUserId(actor) })
      .onConflictDoNothing({ target: [appointments.clinicId, appointments.idempotencyKey] })
      .returning();
    if (!booked) {
      const [existing] = await tx
        .select()
        .from(appointments)
        .where(and(eq(appointments.clinicId, clinicId), eq(appointments.idempotencyKey, input.idempotencyKey)));
      if (!existing || existing.patientId !== input.patientId) throw new DomainError("conflict", "This request key was already used. Reload and try again.");
      return existing;
    }
    await auditBy(tx, actor, { clinicId, action: "appointment.book", targetType: "appointment", targetId: booked.id, after: { patientId: input.patientId } });
    await emit(tx, actor, { type: "appointment.booked", clinicId, data: { appointmentId: booked.id, patientId: input.patientId } });
    await qualifyReferral({ db: tx, actor, clinicId }, { refereeId: input.patientId, event: "first_booked_appointment" });
    return booked;
  });
}

/** Staff mark a booked appointment attended (rule P7 "first attended appointment"); once only. */
export async function recordAttendance(ctx: ServiceContext, input: { appointmentId: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [attended] = await tx
      .update(appointments)
      .set({ status: "attended", attendedAt: clockNow })
      .where(and(eq(appointments.id, input.appointmentId), eq(appointments.clinicId, clinicId), eq(appointments.status, "booked")))
      .returning();
    if (!attended) {
      const [existing] = await tx.select().from(appointments).where(and(eq(appointments.id, input.appointmentId), eq(appointments.clinicId, clinicId)));
      if (!existing) throw new DomainError("not_found", "No such appointment at this clinic.");
      if (existing.status === "attended") return existing;
      throw new DomainError("invalid", "A cancelled appointment cannot be marked attended.");
    }
    await auditBy(tx, actor, { clinicId, action: "appointment.attend", targetType: "appointment", targetId: attended.id, after: { patientId: attended.patientId } });
    await emit(tx, actor, { type: "appointment.attended", clinicId, data: { appointmentId: attended.id, patientId: attended.patientId } });
    await qualifyReferral({ db: tx, actor, clinicId }, { refereeId: attended.patientId, event: "first_attended_appointment" });
    return attended;
  });
}

/** Rule A5: a booking cancelled at the provider (Calendly's invitee.canceled), found by the key it was booked with; once only. */
export async function cancelBooking(ctx: ServiceContext, input: { idempotencyKey: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [cancelled] = await tx
      .update(appointments)
      .set({ status: "cancelled" })
      .where(and(eq(appointments.clinicId, clinicId), eq(appointments.idempotencyKey, input.idempotencyKey), eq(appointments.status, "booked")))
      .returning();
    if (!cancelled) return null;
    await auditBy(tx, actor, { clinicId, action: "appointment.cancel", targetType: "appointment", targetId: cancelled.id, after: { patientId: cancelled.patientId } });
    return cancelled;
  });
}

export async function patientAppointments(ctx: ServiceContext, input: { patientId: string }) {
  const { db, clinicId } = ctx;
  return db
    .select({ id: appointments.id, status: appointments.status, scheduledFor: appointments.scheduledFor, attendedAt: appointments.attendedAt })
    .from(appointments)
    .where(and(eq(appointments.clinicId, clinicId), eq(appointments.patientId, input.patientId)))
    .orderBy(appointments.scheduledFor)
    .limit(50);
}
/** A booked appointment is cancelled (rule P7: it no longer counts as attended later); once only. */
export async function cancelAppointment(ctx: ServiceContext, input: { appointmentId: string }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [cancelled] = await tx
      .update(appointments)
      .set({ status: "cancelled" })
      .where(and(eq(appointments.id, input.appointmentId), eq(appointments.clinicId, clinicId), eq(appointments.status, "booked")))
      .returning();
    if (!cancelled) {
      const [existing] = await tx.select().from(appointments).where(and(eq(appointments.id, input.appointmentId), eq(appointments.clinicId, clinicId)));
      if (!existing) throw new DomainError("not_found", "No such appointment at this clinic.");
      if (existing.status === "cancelled") return existing;
      throw new DomainError("invalid", "An attended appointment cannot be cancelled.");
    }
    await auditBy(tx, actor, { clinicId, action: "appointment.cancel", targetType: "appointment", targetId: cancelled.id, after: { patientId: cancelled.patientId } });
    await emit(tx, actor, { type: "appointment.cancelled", clinicId, data: { appointmentId: cancelled.id, patientId: cancelled.patientId } });
    return cancelled;
  });
}
