import { and, eq } from "drizzle-orm";
import { creditLedger, pointConversions, pointConversionSettings } from "@/db/schema";
import { emit } from "@/server/events/emit";
import { formatCents } from "@/server/schemas/money";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { balances, drawFromGrants } from "./ledger";
import { lockPatients } from "@/server/kernel/locks";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";

export type PointConversion = { enabled: boolean; points: number; creditCents: number; minimumPoints: number };

export async function pointConversion(ctx: ServiceContext): Promise<PointConversion | null> {
  const [row] = await ctx.db
    .select({ enabled: pointConversionSettings.enabled, points: pointConversionSettings.points, creditCents: pointConversionSettings.creditCents, minimumPoints: pointConversionSettings.minimumPoints })
    .from(pointConversionSettings)
    .where(eq(pointConversionSettings.clinicId, ctx.clinicId));
  return row ?? null;
}

/** Rule P8 and C4: an admin sets the clinic's conversion; the change is audited with what it was before. */
export async function setPointConversion(ctx: ServiceContext, input: PointConversion): Promise<PointConversion> {
  const values = input;
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    const before = await pointConversion(inTx);
    await tx
      .insert(pointConversionSettings)
      .values({ clinicId, ...values })
      .onConflictDoUpdate({ target: pointConversionSettings.clinicId, set: values });
    await auditBy(tx, actor, { clinicId, action: "points.conversion.update", targetType: "clinic", targetId: clinicId, before, after: values });
    return values;
  });
}

/** "100 points = $5.00 credit". */
export const describeConversion = (c: Pick<PointConversion, "points" | "creditCents">) => `${c.points.toLocaleString("en-US")} points = ${formatCents(c.creditCents)} credit`;

/**
 * Rule P8: the patient turns points into credit in whole blocks, from the clinic's minimum up.
 * Two ledger entries in one transaction under the patient's row lock: points drawn from their
 * grants (never below zero, the ledger's trigger stands behind it) and the credit they buy.
 * Rule N2: the same key converts once; a second try answers what the first did.
 */
export async function convertPoints(ctx: ServiceContext, input: { patientId: string; points: number; idempotencyKey: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    await lockPatients(tx, { clinicId, patientIds: [input.patientId] });
    const [done] = await tx
      .select({ points: pointConversions.points, creditCents: pointConversions.creditCents })
      .from(pointConversions)
      .where(and(eq(pointConversions.patientId, input.patientId), eq(pointConversions.idempotencyKey, input.idempotencyKey)));
    if (done) {
      if (done.points !== input.points) throw new DomainError("conflict", "This conversion was already made with another amount. Reload the page to convert again.");
      return { ...done, balance: await balances(inTx, { patientId: input.patientId }) };
    }
    const rule = await pointConversion(inTx);
    if (!rule?.enabled) throw new DomainError("precondition", "Your clinic does not convert points to credit at the moment.");
    if (input.points < rule.minimumPoints) throw new DomainError("invalid", `Convert at least ${rule.minimumPoints.toLocaleString("en-US")} points.`, "points");
    if (input.points % rule.points !== 0) throw new DomainError("invalid", `Convert points in blocks of ${rule.points.toLocaleString("en-US")} (${describeConversion(rule)}).`, "points");
    const held = (await balances(inTx, { patientId: input.patientId })).points;
    if (input.points > held) throw new DomainError("invalid", `You have ${held.toLocaleString("en-US")} points; enter that or less.`, "points");

    const creditCents = (input.points / rule.points) * rule.creditCents;
    const memo = `Converted ${input.points.toLocaleString("en-US")} points to ${formatCents(creditCents)} credit`;
    const [conversion] = await tx
      .insert(pointConversions)
      .values({ clinicId, patientId: input.patientId, points: input.points, creditCents, idempotencyKey: input.idempotencyKey })
      .returning({ id: pointConversions.id });
    const drawn = await drawFromGrants(inTx, { patientId: input.patientId, unit: "points", kind: "redemption", maxCents: input.points, memo });
    // Points expiring between the balance and the draw would leave less than asked: convert nothing then.
    if (drawn !== input.points) throw new DomainError("conflict", "Your points balance changed. Reload the page and try again.");
    await tx.insert(creditLedger).values({ clinicId, patientId: input.patientId, unit: "credit", kind: "adjustment", amountCents: creditCents, memo });
    if (conversion) await emit(tx, actor, { type: "points.converted", clinicId, data: { conversionId: conversion.id, patientId: input.patientId, points: input.points, creditCents } });
    return { points: input.points, creditCents, balance: await balances(inTx, { patientId: input.patientId }) };
  });
}
