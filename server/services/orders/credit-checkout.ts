import { and, asc, eq, gt, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { creditReservations, users } from "@/db/schema";
import { type Actor, systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { withTransaction, type PlatformContext, type ServiceContext } from "@/server/kernel/context";
import { enqueue } from "@/server/queue/boss";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { availableGrants, drawFromGrants, releaseReservationCredit } from "@/server/services/rewards/ledger";
import { nextDiscount } from "./record";

type Reservation = typeof creditReservations.$inferSelect;

/** Rule A7: how long a reservation holds credit before it is given back by itself. */
export const RESERVATION_TTL_MS = 30 * 60 * 1000;
export const EXPIRE_QUEUE = "credit.reservation-expire";

/** Rule P9: credit covers at most the order total; the soonest-expiring grants go first. */
export async function quoteCredit(ctx: ServiceContext, input: { patientId: string; orderTotalCents: number }) {
  const { db, clinicId } = ctx;
  await patientOf(db, { clinicId, patientId: input.patientId });
  // Rule P8 first: a percent-off reward takes its share; credit then covers what is left (P9).
  const discount = await nextDiscount(ctx, { patientId: input.patientId, totalCents: input.orderTotalCents });
  const discountCents = discount?.cents ?? 0;
  const grants = await availableGrants({ db }, { patientId: input.patientId, unit: "credit" });
  const balanceCents = grants.reduce((total, g) => total + g.remaining, 0);
  const creditCents = Math.min(balanceCents, input.orderTotalCents - discountCents);
  return {
    orderTotalCents: input.orderTotalCents,
    discount: discount ? { rewardId: discount.rewardId, percent: discount.percent, cents: discount.cents } : null,
    balanceCents,
    creditCents,
    payableCents: input.orderTotalCents - discountCents - creditCents,
  };
}

/**
 * Rule A7: reserves the credit that applies to an order of the clinic's own checkout (rule P9),
 * drawn in the ledger at once so nothing else can spend it. The same external reference while a
 * reservation lives answers that reservation again. The patient's row lock serializes this with
 * every other spend; the ledger's no-overdraw trigger stands behind it (never negative).
 */
export async function redeemCredit(ctx: ServiceContext, input: { patientId: string; externalRef: string; orderTotalCents: number; now?: Date }) {
  const now = input.now ?? new Date();
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    await patientOf(tx, { clinicId, patientId: input.patientId }, { lock: true });
    const [live] = await tx
      .select()
      .from(creditReservations)
      .where(and(eq(creditReservations.clinicId, clinicId), eq(creditReservations.externalRef, input.externalRef), liveStatus()));
    if (live) {
      if (live.patientId !== input.patientId || live.orderTotalCents !== input.orderTotalCents) {
        throw new DomainError("conflict", "This order reference already holds a reservation for another patient or amount. Release it first.", "externalRef");
      }
      return live;
    }
    // Rule P8: the next percent-off reward is held with the credit; the live-discount index holds it once.
    const discount = await nextDiscount(txCtx, { patientId: input.patientId, totalCents: input.orderTotalCents });
    const [reservation] = await tx
      .insert(creditReservations)
      .values({
        clinicId,
        patientId: input.patientId,
        externalRef: input.externalRef,
        orderTotalCents: input.orderTotalCents,
        discountRewardId: discount?.rewardId ?? null,
        discountCents: discount?.cents ?? 0,
        amountCents: 0,
        expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
        apiKeyId: actor.kind === "apiKey" ? actor.id : null,
      })
      .returning();
    if (!reservation) throw new Error("the reservation was not stored");
    const amountCents = await drawFromGrants({ db: tx, actor, clinicId }, {
      patientId: input.patientId,
      unit: "credit",
      kind: "redemption",
      maxCents: input.orderTotalCents - reservation.discountCents,
      reservationId: reservation.id,
      memo: "Held for your order at the clinic",
    });
    const [held] = await tx.update(creditReservations).set({ amountCents }).where(eq(creditReservations.id, reservation.id)).returning();
    await auditBy(tx, actor, { clinicId, action: "credit.reserve", targetType: "credit_reservation", targetId: reservation.id, after: { patientId: input.patientId, amountCents, discountCents: reservation.discountCents } });
    await emit(tx, actor, { type: "credit.reserved", clinicId, data: { reservationId: reservation.id, patientId: input.patientId, amountCents } });
    // Rule A7: an unreleased reservation expires by itself; the daily run sweeps any the job missed.
    await enqueue(tx, EXPIRE_QUEUE, { clinicId, reservationId: reservation.id }, { startAfter: reservation.expiresAt, singletonKey: reservation.id });
    return held ?? { ...reservation, amountCents };
  });
}

/** Rule A7: the payment succeeded; the held credit is spent. Capturing twice captures once. */
export async function captureCredit(ctx: ServiceContext, input: { reservationId: string; now?: Date }) {
  const now = input.now ?? new Date();
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const [captured] = await tx
      .update(creditReservations)
      .set({ status: "captured", settledAt: now })
      .where(and(ofClinic({ clinicId, reservationId: input.reservationId }), eq(creditReservations.status, "reserved"), gt(creditReservations.expiresAt, now)))
      .returning();
    if (!captured) {
      const current = await reservationOf(txCtx, input);
      if (current.status === "captured") return current;
      throw new DomainError("conflict", current.status === "released" ? "This reservation was released; reserve the credit again." : "This reservation expired and its credit was returned; reserve the credit again.");
    }
    await auditBy(tx, actor, { clinicId, action: "credit.capture", targetType: "credit_reservation", targetId: captured.id, after: { amountCents: captured.amountCents } });
    await emit(tx, actor, { type: "credit.captured", clinicId, data: { reservationId: captured.id, patientId: captured.patientId, amountCents: captured.amountCents } });
    return captured;
  });
}

/** Rule A7: the payment failed; the held credit goes back. Releasing twice releases once. */
export async function releaseCredit(ctx: ServiceContext, input: { reservationId: string; now?: Date }) {
  return withTransaction(ctx, async (txCtx) => {
    const released = await giveBack(txCtx, { ...input, to: "released" });
    if (released) return released;
    const current = await reservationOf(txCtx, input);
    if (current.status === "captured") throw new DomainError("conflict", "This reservation was captured; refund the order instead.");
    return current;
  });
}

/**
 * Rule A7: the reservation's 30 minutes are over and nobody captured or released it. Safe to run
 * twice. `ctx.actor` is the expiry job (the EXPIRE_QUEUE system actor), whether its own queued job
 * or the reconciliation run's sweep (expireDueReservations) expires it.
 */
export async function expireReservation(ctx: ServiceContext, input: { reservationId: string; now?: Date }) {
  return withTransaction(ctx, async (txCtx) => giveBack(txCtx, { ...input, to: "expired" }));
}

/** The expiry job of a clinic's reservations, as the audit and event logs name it (rule A7). */
const expiryActor = (clinicId: string): Actor => systemActor(EXPIRE_QUEUE, clinicId);

/**
 * Rule A7, A6: every reservation past its time, for the daily run; each is expired once, in its
 * clinic's context and as the expiry job (`expiryActor`) its lost or late job would have been.
 */
export async function expireDueReservations(ctx: PlatformContext, input: { now?: Date } = {}): Promise<number> {
  const { db } = ctx;
  const now = input.now ?? new Date();
  const due = await db
    .select({ id: creditReservations.id, clinicId: creditReservations.clinicId })
    .from(creditReservations)
    .where(and(eq(creditReservations.status, "reserved"), lte(creditReservations.expiresAt, now)))
    .orderBy(asc(creditReservations.expiresAt))
    .limit(1000);
  let expired = 0;
  for (const row of due) if (await expireReservation({ db, actor: expiryActor(row.clinicId), clinicId: row.clinicId }, { reservationId: row.id, now })) expired += 1;
  return expired;
}

/** Moves a reservation out of `reserved` (a release, or an expiry once due) and writes its credit back. */
async function giveBack(ctx: ServiceContext, input: { reservationId: string; now?: Date; to: "released" | "expired" }): Promise<Reservation | null> {
  const { db: tx, actor, clinicId } = ctx;
  const now = input.now ?? new Date();
  const [held] = await tx.select({ patientId: creditReservations.patientId }).from(creditReservations).where(ofClinic({ clinicId, reservationId: input.reservationId }));
  if (!held) throw new DomainError("not_found", "No such credit reservation.");
  // Patients before reservations and grants (locks.ts).
  await patientOf(tx, { clinicId, patientId: held.patientId }, { lock: true });
  const [moved] = await tx
    .update(creditReservations)
    .set({ status: input.to, settledAt: now })
    .where(and(ofClinic({ clinicId, reservationId: input.reservationId }), eq(creditReservations.status, "reserved"), input.to === "expired" ? lte(creditReservations.expiresAt, now) : undefined))
    .returning();
  if (!moved) return null;
  const memo = input.to === "expired" ? "Returned: the hold for your order expired" : "Returned: the payment did not go through";
  const returned = await releaseReservationCredit({ db: tx, actor, clinicId }, { patientId: moved.patientId, reservationId: moved.id, memo });
  await auditBy(tx, actor, { clinicId, action: input.to === "expired" ? "credit.expire_hold" : "credit.release", targetType: "credit_reservation", targetId: moved.id, after: { returnedCents: returned } });
  await emit(tx, actor, { type: "credit.released", clinicId, data: { reservationId: moved.id, patientId: moved.patientId, amountCents: returned, reason: input.to } });
  return moved;
}

/** The reservation of this clinic, or 404 (rule N1: another clinic's id reads as unknown). */
export async function reservationOf(ctx: ServiceContext, input: { reservationId: string }) {
  const [row] = await ctx.db.select().from(creditReservations).where(ofClinic({ clinicId: ctx.clinicId, reservationId: input.reservationId }));
  if (!row) throw new DomainError("not_found", "No such credit reservation.");
  return row;
}

const ofClinic = (input: { clinicId: string; reservationId: string }) => and(eq(creditReservations.id, input.reservationId), eq(creditReservations.clinicId, input.clinicId));
/** Reserved or captured: the one reservation an external order reference may hold. */
const liveStatus = () => inArray(creditReservations.status, ["reserved", "captured"]);

async function patientOf(db: Db, input: { clinicId: string; patientId: string }, options: { lock?: boolean } = {}) {
  const query = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, input.patientId), eq(users.clinicId, input.clinicId), eq(users.role, "patient")));
  const [row] = options.lock ? await query.for("no key update") : await query;
  if (!row) throw new DomainError("not_found", "No such patient at this clinic.");
  return row;
}
