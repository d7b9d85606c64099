import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appointments, balanceAdjustments, creditLedger, orders, programs, referralCodes, referrals, rewards, users } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { canonicalCode, issueCode } from "./codes";
import { DomainError } from "@/server/kernel/errors";
import { ineligibility } from "./referrals";
import { drawFromGrants, type Unit } from "@/server/services/rewards/ledger";
import { REVERSAL_MEMO, reverseReward } from "@/server/services/rewards/reversals";
import { qualifyReferral } from "@/server/services/rewards/qualify";

/** Rule C4: a manual control names who acted (the context's actor) and why. */
type Staff = { reason: string };

async function lockPatient(tx: Db, clinicId: string, patientId: string) {
  const [patient] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, patientId), eq(users.clinicId, clinicId), eq(users.role, "patient")))
    .for("no key update");
  if (!patient) throw new DomainError("not_found", "No such patient at this clinic.");
  return patient;
}

const ADJUSTMENT_MEMO = "Adjustment by the clinic";

/**
 * Rule C4: add or remove credit or points by hand. Removing takes from the holder's grants
 * like a redemption and can never leave a negative balance. Once per idempotency key (rule N2):
 * a double-submitted form credits once. The reason stays with staff (audit log, adjustments
 * table, activity); the patient's history shows a neutral memo.
 */
export async function adjustBalance(ctx: ServiceContext, input: Staff & { patientId: string; unit: Unit; amount: number; idempotencyKey: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    // The adjustments table names the person who made each one.
    const actorId = actorUserId(actor);
    if (!actorId) throw new DomainError("refused", "A balance adjustment is made by a staff member.");
    await lockPatient(tx, clinicId, input.patientId);
    const [made] = await tx
      .insert(balanceAdjustments)
      .values({ clinicId, patientId: input.patientId, actorId, unit: input.unit, amount: input.amount, reason: input.reason, idempotencyKey: input.idempotencyKey })
      .onConflictDoNothing({ target: [balanceAdjustments.clinicId, balanceAdjustments.idempotencyKey] })
      .returning();
    if (!made) return { applied: await sameAdjustmentOrConflict(tx, { ...input, clinicId }) };
    if (input.amount > 0) {
      await tx.insert(creditLedger).values({
        clinicId,
        patientId: input.patientId,
        unit: input.unit,
        kind: "adjustment",
        amountCents: input.amount,
        actorId,
        memo: ADJUSTMENT_MEMO,
      });
    } else {
      // An adjustment's draw names the staff member who made it: the context's actor.
      const taken = await drawFromGrants(inTx, {
        patientId: input.patientId,
        unit: input.unit,
        kind: "adjustment",
        maxCents: -input.amount,
        memo: ADJUSTMENT_MEMO,
      });
      if (taken < -input.amount) {
        throw new DomainError("invalid", `The balance is only ${input.unit === "credit" ? `$${(taken / 100).toFixed(2)}` : `${taken} points`}; a balance can't go below zero.`, "amount");
      }
    }
    const applied = input.amount;
    await emit(tx, actor, { type: "credit.adjusted", clinicId, data: { patientId: input.patientId, unit: input.unit, amount: applied } }, { reason: input.reason });
    await auditBy(tx, actor, { clinicId, action: `${input.unit}.adjust`, targetType: "patient", targetId: input.patientId, reason: input.reason, after: { amount: applied } });
    return { applied };
  });
}

/** A repeated key returns what it first did; the same key for a different adjustment is refused. */
async function sameAdjustmentOrConflict(tx: Db, input: { clinicId: string; patientId: string; unit: Unit; amount: number; idempotencyKey: string }) {
  const [first] = await tx
    .select()
    .from(balanceAdjustments)
    .where(and(eq(balanceAdjustments.clinicId, input.clinicId), eq(balanceAdjustments.idempotencyKey, input.idempotencyKey)));
  if (!first || first.patientId !== input.patientId || first.unit !== input.unit || first.amount !== input.amount) {
    throw new DomainError("conflict", "This form was already used for another adjustment. Reload the page and try again.");
  }
  return first.amount;
}

/**
 * Rule P5's one exception (C4): staff link a patient who signed up without a code to the
 * referrer they name. The referral then follows the program's current terms and rule P6, as
 * at sign-up: an ineligible one is recorded with its reason and earns nothing.
 */
export async function attributeByHand(ctx: ServiceContext, input: Staff & { refereeId: string; referrerCode: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    const referee = await lockPatient(tx, clinicId, input.refereeId);
    // Another clinic's code reads as unknown here (rule N1).
    const [code] = await tx
      .select({ id: referralCodes.id, referrer: { id: users.id, emailNormalized: users.emailNormalized, phoneNormalized: users.phoneNormalized, disabledAt: users.disabledAt } })
      .from(referralCodes)
      .innerJoin(users, eq(users.id, referralCodes.patientId))
      .where(and(eq(referralCodes.code, canonicalCode(input.referrerCode)), eq(referralCodes.clinicId, clinicId), isNull(referralCodes.rotatedAt)));
    if (!code) throw new DomainError("invalid", "No active referral code like that at this clinic.", "referrerCode");
    const { referrer } = code;
    if (referrer.id === referee.id) throw new DomainError("invalid", "A patient can't be their own referrer.", "referrerCode");
    const [program] = await tx.select().from(programs).where(eq(programs.clinicId, clinicId));
    if (!program?.currentVersionId) throw new DomainError("not_found", "This clinic has no referral program.");
    // Rule P1: a paused program makes no new referrals, by hand either.
    if (!program.enabled) throw new DomainError("precondition", PAUSED);
    const reason = await ineligibility(inTx, { referrer, referee });
    const [referral] = await tx
      .insert(referrals)
      .values({
        clinicId,
        referrerId: referrer.id,
        refereeId: referee.id,
        codeId: code.id,
        source: "staff",
        status: reason ? "ineligible" : "signed_up",
        ineligibleReason: reason,
        programVersionId: program.currentVersionId,
      })
      .onConflictDoNothing({ target: referrals.refereeId })
      .returning();
    if (!referral) throw new DomainError("conflict", "This patient was already referred; a patient is referred once.");
    const data = { referralId: referral.id, referrerId: referrer.id, refereeId: referee.id, codeId: code.id };
    await emit(tx, actor, { type: "referral.attributed", clinicId, data }, { reason: input.reason });
    if (reason) await emit(tx, actor, { type: "referral.ineligible", clinicId, data: { referralId: referral.id, referrerId: referrer.id, refereeId: referee.id, reason } });
    await auditBy(tx, actor, { clinicId, action: "referral.attribute", targetType: "referral", targetId: referral.id, reason: input.reason, after: { status: referral.status, ineligibleReason: reason } });
    // An event the referee already had counts, as it would have at sign-up.
    if (!reason) await qualifyFromHistory(inTx, referee.id);
    const [after] = await tx.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, referral.id));
    return { referralId: referral.id, status: after?.status ?? referral.status, ineligibleReason: reason };
  });
}

const PAUSED = "The referral program is paused, so nothing was recorded or re-checked. Turn it back on under Settings first.";

/** Re-runs the qualification rule on what the referee has already done (a manual trigger, rule A1). */
async function qualifyFromHistory(ctx: ServiceContext, refereeId: string) {
  const tx = ctx.db;
  const [paid] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.patientId, refereeId), eq(orders.status, "paid")))
    .orderBy(orders.paidAt)
    .limit(1);
  if (paid && (await qualifyReferral(ctx, { refereeId, event: "first_paid_order", orderId: paid.id }))) return;
  const visits = await tx.select({ status: appointments.status }).from(appointments).where(eq(appointments.patientId, refereeId));
  if (visits.length && (await qualifyReferral(ctx, { refereeId, event: "first_booked_appointment" }))) return;
  if (visits.some((v) => v.status === "attended")) await qualifyReferral(ctx, { refereeId, event: "first_attended_appointment" });
}

/** Rule C4: re-check a referral against the rules, e.g. after the program was resumed. */
export async function rerunRules(ctx: ServiceContext, input: Staff & { referralId: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    const [referral] = await tx.select().from(referrals).where(and(eq(referrals.id, input.referralId), eq(referrals.clinicId, clinicId)));
    if (!referral) throw new DomainError("not_found", "No such referral at this clinic.");
    const [program] = await tx.select({ enabled: programs.enabled }).from(programs).where(eq(programs.clinicId, clinicId));
    // Rule P1: while paused nothing qualifies; say so rather than "nothing changed".
    if (!program?.enabled) throw new DomainError("precondition", PAUSED);
    const before = referral.status;
    if (referral.status === "signed_up") await qualifyFromHistory(inTx, referral.refereeId);
    const [after] = await tx.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, referral.id));
    await auditBy(tx, actor, { clinicId, action: "referral.rerun", targetType: "referral", targetId: referral.id, reason: input.reason, before: { status: before }, after: { status: after?.status } });
    return { status: after?.status ?? before };
  });
}

/** Rule C4 and P13: reverse one reward by hand; what was redeemed is reported, not clawed back. */
export async function reverseRewardByHand(ctx: ServiceContext, input: Staff & { rewardId: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    const [reward] = await tx.select({ id: rewards.id, patientId: rewards.patientId }).from(rewards).where(and(eq(rewards.id, input.rewardId), eq(rewards.clinicId, clinicId)));
    if (!reward) throw new DomainError("not_found", "No such reward at this clinic.");
    // The holder first, then the reward itself, read again under its lock (locks.ts).
    await lockPatient(tx, clinicId, reward.patientId);
    const report = await reverseReward(inTx, { rewardId: reward.id, why: `Reversed by the clinic: ${input.reason}`, memo: REVERSAL_MEMO });
    if (!report) throw new DomainError("conflict", "This reward can't be reversed any more (it was withheld or already reversed).");
    await auditBy(tx, actor, { clinicId, action: "reward.reverse", targetType: "reward", targetId: reward.id, reason: input.reason, after: report });
    return report;
  });
}

/** Rule P2: a leaked code is replaced; the old one stops attributing at once. */
export async function rotateCode(ctx: ServiceContext, input: Staff & { patientId: string }) {
  return withTransaction(ctx, async (inTx) => {
    const { db: tx, actor, clinicId } = inTx;
    await lockPatient(tx, clinicId, input.patientId);
    const [old] = await tx
      .update(referralCodes)
      .set({ rotatedAt: new Date() })
      .where(and(eq(referralCodes.patientId, input.patientId), isNull(referralCodes.rotatedAt)))
      .returning();
    const fresh = await issueCode(inTx, { patientId: input.patientId });
    await emit(tx, actor, { type: "code.rotated", clinicId, data: { patientId: input.patientId, codeId: fresh.id } }, { reason: input.reason });
    await auditBy(tx, actor, { clinicId, action: "code.rotate", targetType: "patient", targetId: input.patientId, reason: input.reason, before: { code: old?.code ?? null }, after: { code: fresh.code } });
    return { code: fresh.code };
  });
}
