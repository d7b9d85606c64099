import { clockNow } from "@/server/kernel/clock";
import { and, asc, desc, eq, gt, inArray, isNull, ne, notExists, or, sql, sum } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { creditLedger, creditReservations, LEDGER_UNITS, rewards } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import type { ServiceContext } from "@/server/kernel/context";

export type Unit = (typeof LEDGER_UNITS)[number];
const draws = alias(creditLedger, "draws");
const remainingSql = sql<number>`${creditLedger.amountCents} + coalesce(sum(${draws.amountCents}), 0)`.mapWith(Number);

/**
 * Grants (released rewards and positive adjustments) with value left, soonest-expiring first (rule P9).
 * A read by the holder alone, needing no actor: a credit quote calls it where none is at hand.
 */
export async function availableGrants(ctx: Pick<ServiceContext, "db">, input: { patientId: string; unit: Unit; includeExpired?: boolean; grantIds?: string[] }) {
  return ctx.db
    .select({ grantId: creditLedger.id, remaining: remainingSql, expiresAt: creditLedger.expiresAt, rewardId: creditLedger.rewardId })
    .from(creditLedger)
    .leftJoin(draws, eq(draws.grantId, creditLedger.id))
    .where(
      and(
        eq(creditLedger.patientId, input.patientId),
        eq(creditLedger.unit, input.unit),
        inArray(creditLedger.kind, ["grant", "adjustment"]),
        gt(creditLedger.amountCents, 0),
        input.grantIds ? inArray(creditLedger.id, input.grantIds) : undefined,
        input.includeExpired ? undefined : or(isNull(creditLedger.expiresAt), gt(creditLedger.expiresAt, clockNow)),
      ),
    )
    .groupBy(creditLedger.id)
    .having(sql`${creditLedger.amountCents} + coalesce(sum(${draws.amountCents}), 0) > 0`)
    .orderBy(sql`${creditLedger.expiresAt} asc nulls last`, asc(creditLedger.createdAt), asc(creditLedger.id));
}

type DrawInput = {
  patientId: string;
  unit: Unit;
  kind: "redemption" | "adjustment";
  maxCents: number;
  orderId?: string;
  /** Rule A7: the checkout reservation the draw holds credit for. */
  reservationId?: string;
  memo: string;
};

/**
 * Takes up to `maxCents` from the holder's grants, soonest-expiring first (rule P9). The
 * caller holds the patient's row lock; the ledger's no-overdraw trigger stands behind it.
 * An adjustment's entries name the staff member who made it (the context's actor);
 * a redemption's name no one.
 */
export async function drawFromGrants(ctx: ServiceContext, input: DrawInput): Promise<number> {
  const tx = ctx.db;
  const actorId = input.kind === "adjustment" ? (actorUserId(ctx.actor) ?? undefined) : undefined;
  let left = input.maxCents;
  const entries: (typeof creditLedger.$inferInsert)[] = [];
  for (const grant of await availableGrants(ctx, { patientId: input.patientId, unit: input.unit })) {
    if (left <= 0) break;
    const take = Math.min(left, grant.remaining);
    entries.push({
      clinicId: ctx.clinicId,
      patientId: input.patientId,
      unit: input.unit,
      kind: input.kind,
      amountCents: -take,
      grantId: grant.grantId,
      orderId: input.orderId,
      reservationId: input.reservationId,
      actorId,
      memo: input.memo,
    });
    left -= take;
  }
  if (entries.length) await tx.insert(creditLedger).values(entries);
  return input.maxCents - left;
}

/** Takes what is left of specific grants (expiry, reversal); returns what was taken. */
export async function closeGrants(
  ctx: ServiceContext,
  input: { patientId: string; unit: Unit; grantIds: string[]; kind: "expiry" | "reversal"; memo: string; includeExpired: boolean },
): Promise<number> {
  if (!input.grantIds.length) return 0;
  const open = await availableGrants(ctx, { patientId: input.patientId, unit: input.unit, grantIds: input.grantIds, includeExpired: input.includeExpired });
  if (!open.length) return 0;
  await ctx.db.insert(creditLedger).values(
    open.map((g) => ({
      clinicId: ctx.clinicId,
      patientId: input.patientId,
      unit: input.unit,
      kind: input.kind,
      amountCents: -g.remaining,
      grantId: g.grantId,
      memo: input.memo,
    })),
  );
  return open.reduce((total, g) => total + g.remaining, 0);
}

/**
 * A declined or refunded order gives back what it drew, but only to grants still live: value
 * whose grant was reversed (rule P13) or expired (P12) since stays gone. The caller holds the
 * holder's row lock; the grants are locked too, so an expiry run cannot close one meanwhile.
 * An order paid with a checkout reservation (rule A7) gives back the reservation's draws.
 * It acts for no one: a declined payment calls it where no actor is at hand.
 */
export async function releaseOrderCredit(ctx: Pick<ServiceContext, "db" | "clinicId">, input: { patientId: string; orderId: string; memo: string }) {
  const tx = ctx.db;
  const [reservation] = await tx.select({ id: creditReservations.id }).from(creditReservations).where(eq(creditReservations.orderId, input.orderId));
  const drawn = await tx
    .select()
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.kind, "redemption"),
        reservation ? or(eq(creditLedger.orderId, input.orderId), eq(creditLedger.reservationId, reservation.id)) : eq(creditLedger.orderId, input.orderId),
      ),
    );
  return giveBack(tx, drawn, { ...input, clinicId: ctx.clinicId, reservationId: reservation?.id });
}

/** Rule A7: a released or expired reservation gives back what it held, to grants still live. */
export async function releaseReservationCredit(ctx: ServiceContext, input: { patientId: string; reservationId: string; memo: string }) {
  const tx = ctx.db;
  const drawn = await tx
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.reservationId, input.reservationId), eq(creditLedger.kind, "redemption")));
  return giveBack(tx, drawn, { ...input, clinicId: ctx.clinicId });
}

async function giveBack(
  tx: Db,
  drawn: (typeof creditLedger.$inferSelect)[],
  input: { clinicId: string; patientId: string; orderId?: string; reservationId?: string; memo: string },
): Promise<number> {
  if (!drawn.length) return 0;
  const grantIds = [...new Set(drawn.flatMap((d) => (d.grantId ? [d.grantId] : [])))].sort();
  await tx.select({ id: creditLedger.id }).from(creditLedger).where(inArray(creditLedger.id, grantIds)).orderBy(asc(creditLedger.id)).for("update");
  const live = new Set((await liveGrants(tx, grantIds)).map((g) => g.id));
  const returned = drawn.filter((d) => d.grantId && live.has(d.grantId));
  if (!returned.length) return 0;
  await tx.insert(creditLedger).values(
    returned.map((d) => ({
      clinicId: input.clinicId,
      patientId: input.patientId,
      unit: d.unit,
      kind: "redemption_release" as const,
      amountCents: -d.amountCents,
      grantId: d.grantId,
      orderId: input.orderId,
      reservationId: input.reservationId,
      memo: input.memo,
    })),
  );
  return returned.reduce((total, d) => total - d.amountCents, 0);
}

const closing = alias(creditLedger, "closing");

/** Grants not expired, not closed by an expiry or reversal entry, and not from a reversed reward. */
function liveGrants(tx: Db, grantIds: string[]) {
  return tx
    .select({ id: creditLedger.id })
    .from(creditLedger)
    .leftJoin(rewards, eq(rewards.id, creditLedger.rewardId))
    .where(
      and(
        inArray(creditLedger.id, grantIds),
        or(isNull(creditLedger.expiresAt), gt(creditLedger.expiresAt, clockNow)),
        or(isNull(rewards.id), ne(rewards.status, "reversed")),
        notExists(
          tx
            .select({ id: closing.id })
            .from(closing)
            .where(and(eq(closing.grantId, creditLedger.id), inArray(closing.kind, ["expiry", "reversal"]))),
        ),
      ),
    );
}

/** Rule N2: balances are derived from the ledger, never stored. Expired value is closed by the expiry job. */
export async function balances(ctx: ServiceContext, input: { patientId: string }): Promise<Record<Unit, number>> {
  const rows = await ctx.db
    .select({ unit: creditLedger.unit, total: sum(creditLedger.amountCents).mapWith(Number) })
    .from(creditLedger)
    .where(eq(creditLedger.patientId, input.patientId))
    .groupBy(creditLedger.unit);
  return { credit: rows.find((r) => r.unit === "credit")?.total ?? 0, points: rows.find((r) => r.unit === "points")?.total ?? 0 };
}

export async function creditBalance(ctx: ServiceContext, input: { patientId: string }): Promise<number> {
  return (await balances(ctx, input)).credit;
}

export async function ledgerHistory(ctx: ServiceContext, input: { patientId: string; limit?: number }) {
  return ctx.db
    .select({
      id: creditLedger.id,
      unit: creditLedger.unit,
      kind: creditLedger.kind,
      amountCents: creditLedger.amountCents,
      memo: creditLedger.memo,
      expiresAt: creditLedger.expiresAt,
      createdAt: creditLedger.createdAt,
    })
    .from(creditLedger)
    .where(and(eq(creditLedger.clinicId, ctx.clinicId), eq(creditLedger.patientId, input.patientId)))
    .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
    .limit(input.limit ?? 200);
}
