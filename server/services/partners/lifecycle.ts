import { clockNow } from "@/server/kernel/clock";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { b2bEvents, b2bReferrals } from "@/db/schema";
import { systemActor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { env } from "@/server/env";
import { dateIn } from "@/server/schemas/time-zone";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { enqueueMessage } from "@/server/messaging/outbox";
import { grantFlatCredit } from "./rewards";
import { STATUS_TEXT } from "./status";

type Referral = typeof b2bReferrals.$inferSelect;
type Status = Referral["status"];

/** Today where the platform is (PLATFORM_TIME_ZONE): the date a platform admin would write (rule B4's dates). */
export const today = (now = new Date(), timeZone = env.PLATFORM_TIME_ZONE) => dateIn(timeZone, now);

/** Open work first: submitted and under review, oldest first; then everything else, newest first. */
export async function reviewQueue(ctx: PlatformContext, input: { status: Status | "open" | "all" }) {
  const where =
    input.status === "all" ? undefined : input.status === "open" ? inArray(b2bReferrals.status, ["submitted", "under_review"]) : eq(b2bReferrals.status, input.status);
  return ctx.db
    .select({
      id: b2bReferrals.id,
      practiceName: b2bReferrals.practiceName,
      city: b2bReferrals.city,
      region: b2bReferrals.region,
      country: b2bReferrals.country,
      status: b2bReferrals.status,
      flags: b2bReferrals.flags,
      referrerName: b2bReferrals.referrerName,
      referrerOrganization: b2bReferrals.referrerOrganization,
      createdAt: b2bReferrals.createdAt,
    })
    .from(b2bReferrals)
    .where(where)
    .orderBy(input.status === "open" ? asc(b2bReferrals.createdAt) : desc(b2bReferrals.createdAt))
    .limit(200);
}

export async function referralDetail(ctx: PlatformContext, input: { referralId: string }) {
  const [referral] = await ctx.db.select().from(b2bReferrals).where(eq(b2bReferrals.id, input.referralId));
  if (!referral) throw new DomainError("not_found", "No such referral.");
  const events = await ctx.db.select().from(b2bEvents).where(eq(b2bEvents.referralId, input.referralId)).orderBy(asc(b2bEvents.createdAt));
  return { referral, events };
}

/**
 * Rule B3: one guarded step of the lifecycle. The conditional update is the gate, so two staff
 * pressing different buttons at once cannot both win; the event and the referrer's message
 * are written in the same transaction.
 */
async function transition(
  ctx: PlatformContext,
  input: { referralId: string; from: Status[]; to: Status; set?: Partial<Referral>; reason?: string; notify: boolean },
): Promise<Referral> {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor } = txCtx;
    // Read under its lock, so the event says which status this step left.
    const [before] = await tx.select({ status: b2bReferrals.status }).from(b2bReferrals).where(eq(b2bReferrals.id, input.referralId)).for("update");
    const [row] = await tx
      .update(b2bReferrals)
      .set({ ...input.set, status: input.to, decidedAt: clockNow })
      .where(and(eq(b2bReferrals.id, input.referralId), inArray(b2bReferrals.status, input.from), isNull(b2bReferrals.duplicateOfId)))
      .returning();
    if (!row) {
      const [current] = await tx.select({ status: b2bReferrals.status }).from(b2bReferrals).where(eq(b2bReferrals.id, input.referralId));
      if (!current) throw new DomainError("not_found", "No such referral.");
      throw new DomainError("precondition", `This referral is ${current.status.replace("_", " ")}; it can't become ${input.to.replace("_", " ")} from there.`);
    }
    const data = { referralId: row.id, referrerId: row.referrerId, from: before?.status ?? input.from[0] ?? row.status, to: row.status };
    await emit(tx, actor, { type: "b2b.status_changed", clinicId: null, data }, { reason: input.reason });
    if (input.notify) {
      await enqueueMessage(tx, {
        kind: `b2b_status_${input.to}`,
        to: row.referrerEmail,
        // Issue 19: the practice is named in the body only.
        subject: `Your practice referral: ${input.to.replace("_", " ")}`,
        body: [
          `Hi ${row.referrerName},`,
          `${row.practiceName}: ${STATUS_TEXT[row.status]}`,
          row.status === "rejected" && row.rejectionReason ? `Reason: ${row.rejectionReason}` : null,
          "Your status page, from the link in your confirmation email, shows all your referrals.",
        ]
          .filter(Boolean)
          .join("\n\n"),
        referralId: row.id,
        referrerId: row.referrerId,
      });
    }
    if (input.to === "won") await grantFlatCredit(txCtx, { referralId: row.id, asOf: today() });
    return row;
  });
}

type Step = { referralId: string };

export const startReview = (ctx: PlatformContext, i: Step) =>
  transition(ctx, { ...i, from: ["submitted"], to: "under_review", notify: false });

export const acceptReferral = (ctx: PlatformContext, i: Step) =>
  transition(ctx, { ...i, from: ["submitted", "under_review"], to: "accepted", notify: true });

export const rejectReferral = (ctx: PlatformContext, i: Step & { reason: string }) =>
  transition(ctx, { ...i, from: ["submitted", "under_review", "accepted"], to: "rejected", set: { rejectionReason: i.reason }, notify: true });

export function markWon(ctx: PlatformContext, i: Step & { contractStart: string; launchDate: string; plan: string; monthlyFeeCents: number }) {
  if (i.launchDate < i.contractStart) throw new DomainError("invalid", "The launch date can't be before the contract start.", "launchDate");
  const contract = { contractStart: i.contractStart, launchDate: i.launchDate, plan: i.plan, monthlyFeeCents: i.monthlyFeeCents };
  return transition(ctx, { ...i, from: ["accepted"], to: "won", set: contract, notify: true });
}

export const markLost = (ctx: PlatformContext, i: Step & { reason: string }) =>
  transition(ctx, { ...i, from: ["accepted"], to: "lost", set: { lostReason: i.reason }, notify: true });

/** Rule B4: the recurring share stops with the contract; payments for later periods earn nothing. */
export async function endContract(ctx: PlatformContext, i: Step & { contractEnd: string }) {
  return withTransaction(ctx, async ({ db: tx, actor }) => {
    const [row] = await tx
      .update(b2bReferrals)
      .set({ contractEnd: i.contractEnd })
      .where(and(eq(b2bReferrals.id, i.referralId), eq(b2bReferrals.status, "won"), sql`${b2bReferrals.contractStart} <= ${i.contractEnd}`))
      .returning();
    if (!row) throw new DomainError("precondition", "Only a won referral's contract can end, and not before it started.", "contractEnd");
    await emit(tx, actor, { type: "b2b.contract_ended", clinicId: null, data: { referralId: row.id, referrerId: row.referrerId, contractEnd: i.contractEnd } });
    return row;
  });
}

/** The daily run acts as itself in the event log (rule A6): the actor of its context. */
export const B2B_DAILY_ACTOR = systemActor("runs.platform.daily");

/**
 * Rule B3: an accepted lead without a contract expires on the first anniversary of its
 * submission (UTC calendar day), not a day before. Safe to run any number of times.
 */
export async function expireStaleLeads(ctx: PlatformContext, input: { asOf: string }): Promise<number> {
  const { asOf } = input;
  const stale = await ctx.db
    .select({ id: b2bReferrals.id })
    .from(b2bReferrals)
    .where(and(eq(b2bReferrals.status, "accepted"), sql`((${b2bReferrals.createdAt} at time zone 'UTC')::date + interval '1 year')::date <= ${asOf}::date`));
  let expired = 0;
  for (const { id } of stale) {
    const done = await transition(ctx, { referralId: id, from: ["accepted"], to: "expired", notify: true }).catch((error: unknown) => {
      // Another run got there first: that is the point of running twice safely.
      if (error instanceof DomainError && error.kind === "precondition") return null;
      throw error;
    });
    if (done) expired += 1;
  }
  return expired;
}
