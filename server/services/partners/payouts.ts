import { clockNow } from "@/server/kernel/clock";
import { and, asc, eq, isNotNull, lte, notExists, sql } from "drizzle-orm";
import { b2bPayoutItemRewards, b2bPayoutItems, b2bPayoutRuns, b2bReferrals, b2bRewards, partnerReferrers } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { csvStream, oneBatch } from "@/server/kernel/csv";
import { DomainError } from "@/server/kernel/errors";
import { addMonths } from "./rewards";

/** The month before the one `isoDate` falls in, as YYYY-MM: what a run on the 1st totals. */
export const previousMonth = (isoDate: string) => addMonths(`${isoDate.slice(0, 7)}-01`, -1).slice(0, 7);
const lastDayOf = (month: string) => addDays(addMonths(`${month}-01`, 1), -1);
function addDays(isoDate: string, days: number) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Rule B6: the month's run totals, per referrer, every reward earned up to the month's end
 * that no payout item holds yet (so a payment recorded late is paid next time, not lost).
 * The run is unique per month and locked while it fills; each reward joins at most one item
 * (primary key of b2b_payout_item_rewards), so a repeated or concurrent run pays nothing twice.
 * An approved run is closed: running it again changes nothing.
 */
export async function runPayouts(ctx: PlatformContext, input: { month: string }) {
  const monthEnd = lastDayOf(input.month);
  return withTransaction(ctx, async ({ db: tx, actor }) => {
    await tx.insert(b2bPayoutRuns).values({ month: input.month, createdById: actorUserId(actor) }).onConflictDoNothing({ target: b2bPayoutRuns.month });
    const [run] = await tx.select().from(b2bPayoutRuns).where(eq(b2bPayoutRuns.month, input.month)).for("update");
    if (!run) throw new Error("payout run vanished");
    if (run.status !== "draft") return { runId: run.id, added: 0 };

    const unpaid = await tx
      .select({ id: b2bRewards.id, referrerId: b2bRewards.referrerId, amountCents: b2bRewards.amountCents })
      .from(b2bRewards)
      // Item 8 of issue 7: a referrer whose address is unproven is paid once it is proven, not before.
      .innerJoin(partnerReferrers, and(eq(partnerReferrers.id, b2bRewards.referrerId), isNotNull(partnerReferrers.emailVerifiedAt)))
      .where(and(lte(b2bRewards.earnedOn, monthEnd), notExists(tx.select({ one: sql`1` }).from(b2bPayoutItemRewards).where(eq(b2bPayoutItemRewards.rewardId, b2bRewards.id)))))
      .orderBy(asc(b2bRewards.earnedOn), asc(b2bRewards.id));
    let added = 0;
    for (const referrerId of new Set(unpaid.map((r) => r.referrerId))) {
      await tx.insert(b2bPayoutItems).values({ runId: run.id, referrerId }).onConflictDoNothing();
      const [item] = await tx.select({ id: b2bPayoutItems.id, status: b2bPayoutItems.status }).from(b2bPayoutItems).where(and(eq(b2bPayoutItems.runId, run.id), eq(b2bPayoutItems.referrerId, referrerId)));
      if (!item || item.status !== "pending") continue;
      const linked = await tx
        .insert(b2bPayoutItemRewards)
        .values(unpaid.filter((r) => r.referrerId === referrerId).map((r) => ({ rewardId: r.id, itemId: item.id, amountCents: r.amountCents })))
        // Another month's run took it first: it is paid there.
        .onConflictDoNothing()
        .returning();
      added += linked.length;
      await tx
        .update(b2bPayoutItems)
        .set({ totalCents: sql`(select coalesce(sum(link.amount_cents), 0) from b2b_payout_item_rewards link where link.item_id = ${item.id})` })
        .where(eq(b2bPayoutItems.id, item.id));
    }
    await tx.delete(b2bPayoutItems).where(and(eq(b2bPayoutItems.runId, run.id), eq(b2bPayoutItems.totalCents, 0)));
    return { runId: run.id, added };
  });
}

/** Rule B6: staff approve a draft run; the run is closed from then on. */
export async function approveRun(ctx: PlatformContext, input: { month: string }) {
  return withTransaction(ctx, async ({ db: tx, actor }) => {
    const [run] = await tx
      .update(b2bPayoutRuns)
      .set({ status: "approved", approvedById: actorUserId(actor), approvedAt: clockNow })
      .where(and(eq(b2bPayoutRuns.month, input.month), eq(b2bPayoutRuns.status, "draft")))
      .returning();
    if (!run) throw new DomainError("precondition", "There is no draft run for that month to approve.");
    const [totals] = await tx
      .select({ referrers: sql<number>`count(*)`.mapWith(Number), totalCents: sql<number>`coalesce(sum(${b2bPayoutItems.totalCents}), 0)`.mapWith(Number) })
      .from(b2bPayoutItems)
      .where(eq(b2bPayoutItems.runId, run.id));
    await emit(tx, actor, { type: "payout.approved", clinicId: null, data: { runId: run.id, month: run.month, referrers: totals?.referrers ?? 0, totalCents: totals?.totalCents ?? 0 } });
    return run;
  });
}

/** Rule B6: staff mark an approved item paid, once, with the bank or invoice reference. */
export async function markItemPaid(ctx: PlatformContext, input: { itemId: string; reference: string }) {
  return withTransaction(ctx, async ({ db: tx, actor }) => {
    const [item] = await tx
      .update(b2bPayoutItems)
      .set({ status: "paid", paidReference: input.reference, paidAt: clockNow, paidById: actorUserId(actor) })
      .where(
        and(
          eq(b2bPayoutItems.id, input.itemId),
          eq(b2bPayoutItems.status, "pending"),
          sql`exists (select 1 from b2b_payout_runs run where run.id = "b2b_payout_items"."run_id" and run.status = 'approved')`,
        ),
      )
      .returning();
    if (!item) throw new DomainError("precondition", "Only a pending item of an approved run can be marked paid.");
    await emit(tx, actor, { type: "payout.paid", clinicId: null, data: { itemId: item.id, runId: item.runId, referrerId: item.referrerId, amountCents: item.totalCents } });
    return item;
  });
}

export async function listRuns(ctx: PlatformContext) {
  return ctx.db
    .select({
      id: b2bPayoutRuns.id,
      month: b2bPayoutRuns.month,
      status: b2bPayoutRuns.status,
      approvedAt: b2bPayoutRuns.approvedAt,
      totalCents: sql<number>`(select coalesce(sum(item.total_cents), 0) from b2b_payout_items item where item.run_id = "b2b_payout_runs"."id")`.mapWith(Number),
      itemCount: sql<number>`(select count(*) from b2b_payout_items item where item.run_id = "b2b_payout_runs"."id")`.mapWith(Number),
    })
    .from(b2bPayoutRuns)
    .orderBy(sql`${b2bPayoutRuns.month} desc`);
}

export async function runDetail(ctx: PlatformContext, input: { month: string }) {
  const [run] = await ctx.db.select().from(b2bPayoutRuns).where(eq(b2bPayoutRuns.month, input.month));
  if (!run) throw new DomainError("not_found", "No payout run for that month yet.");
  const items = await ctx.db
    .select({
      id: b2bPayoutItems.id,
      referrerId: b2bPayoutItems.referrerId,
      referrerName: partnerReferrers.name,
      referrerEmail: partnerReferrers.email,
      organization: partnerReferrers.organization,
      totalCents: b2bPayoutItems.totalCents,
      status: b2bPayoutItems.status,
      paidReference: b2bPayoutItems.paidReference,
      paidAt: b2bPayoutItems.paidAt,
    })
    .from(b2bPayoutItems)
    .innerJoin(partnerReferrers, eq(partnerReferrers.id, b2bPayoutItems.referrerId))
    .where(eq(b2bPayoutItems.runId, run.id))
    .orderBy(asc(partnerReferrers.name));
  return { run, items };
}

/** Every reward line of a month's run, one row each: the CSV export and the statements. */
export async function runLines(ctx: PlatformContext, input: { month: string; referrerId?: string }) {
  return ctx.db
    .select({
      month: b2bPayoutRuns.month,
      referrerId: b2bPayoutItems.referrerId,
      referrerName: partnerReferrers.name,
      referrerEmail: partnerReferrers.email,
      organization: partnerReferrers.organization,
      practiceName: b2bReferrals.practiceName,
      plan: b2bRewards.plan,
      settlement: b2bRewards.settlement,
      earnedOn: b2bRewards.earnedOn,
      applyOn: b2bRewards.applyOn,
      memo: b2bRewards.memo,
      amountCents: b2bPayoutItemRewards.amountCents,
      itemStatus: b2bPayoutItems.status,
      paidReference: b2bPayoutItems.paidReference,
    })
    .from(b2bPayoutItemRewards)
    .innerJoin(b2bPayoutItems, eq(b2bPayoutItems.id, b2bPayoutItemRewards.itemId))
    .innerJoin(b2bPayoutRuns, eq(b2bPayoutRuns.id, b2bPayoutItems.runId))
    .innerJoin(b2bRewards, eq(b2bRewards.id, b2bPayoutItemRewards.rewardId))
    .innerJoin(b2bReferrals, eq(b2bReferrals.id, b2bRewards.referralId))
    .innerJoin(partnerReferrers, eq(partnerReferrers.id, b2bPayoutItems.referrerId))
    .where(and(eq(b2bPayoutRuns.month, input.month), input.referrerId ? eq(b2bPayoutItems.referrerId, input.referrerId) : undefined))
    .orderBy(asc(partnerReferrers.name), asc(b2bRewards.earnedOn), asc(b2bRewards.id));
}

const PAYOUT_CSV_COLUMNS = ["month", "referrerName", "referrerEmail", "organization", "practiceName", "plan", "settlement", "earnedOn", "applyOn", "amount", "itemStatus", "paidReference"] as const;

/** Rule B6's payout lines as CSV, through the one writer that defuses formulas (item 17). */
export function payoutLinesCsv(lines: Awaited<ReturnType<typeof runLines>>): ReadableStream<Uint8Array> {
  return csvStream(
    PAYOUT_CSV_COLUMNS,
    oneBatch(lines.map((l) => [l.month, l.referrerName, l.referrerEmail, l.organization, l.practiceName, l.plan, l.settlement, l.earnedOn, l.applyOn, l.amountCents / 100, l.itemStatus, l.paidReference])),
  );
}
