import { createHash } from "node:crypto";
import { and, count, eq, gte, lt, sum } from "drizzle-orm";
import { clinics, referrals, rewards } from "@/db/schema";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { formatCents } from "@/server/schemas/money";
import { appUrl } from "@/server/kernel/app-url";
import { notifyStaff } from "./compose";

/** A stable id for one clinic's digest of one period, so a repeated run writes each digest once. */
function digestKey(clinicId: string, run: string, from: Date): string {
  const h = createHash("sha256").update(`digest:${clinicId}:${run}:${from.toISOString()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The dashboard's headline numbers for [from, to): new referrals, qualified referrals, rewards released. */
export async function digestNumbers(ctx: ServiceContext, input: { from: Date; to: Date }) {
  const { db, clinicId } = ctx;
  const [made] = await db.select({ n: count() }).from(referrals).where(and(eq(referrals.clinicId, clinicId), gte(referrals.createdAt, input.from), lt(referrals.createdAt, input.to)));
  const [qualified] = await db.select({ n: count() }).from(referrals).where(and(eq(referrals.clinicId, clinicId), gte(referrals.qualifiedAt, input.from), lt(referrals.qualifiedAt, input.to)));
  const [released] = await db
    .select({ cents: sum(rewards.amount) })
    .from(rewards)
    .where(and(eq(rewards.clinicId, clinicId), eq(rewards.kind, "credit"), gte(rewards.releasedAt, input.from), lt(rewards.releasedAt, input.to)));
  return { referrals: made?.n ?? 0, qualified: qualified?.n ?? 0, creditReleasedCents: Number(released?.cents ?? 0) };
}

/**
 * Rule A2: the daily or weekly digest to the staff who chose it (and the clinic's Slack channel
 * for the weekly one). Counts only (rule N3). Safe to repeat for the same period: a step of the
 * scheduler's daily and weekly clinic runs (server/jobs/runs.ts).
 */
export async function sendStaffDigest(ctx: ServiceContext, input: { run: "daily" | "weekly"; from: Date; to: Date; periodLabel: string }) {
  const numbers = await digestNumbers(ctx, input);
  const summary = `${numbers.referrals} new referral(s), ${numbers.qualified} qualified, ${formatCents(numbers.creditReleasedCents)} in credit rewards released.`;
  await withTransaction(ctx, async (tx) => {
    const [clinic] = await tx.db
      .select({ id: clinics.id, name: clinics.name, slug: clinics.slug, quietHoursStart: clinics.quietHoursStart, quietHoursEnd: clinics.quietHoursEnd, timeZone: clinics.timeZone, brandColor: clinics.brandColor })
      .from(clinics)
      .where(eq(clinics.id, ctx.clinicId));
    if (!clinic) return;
    await notifyStaff(tx, {
      clinic,
      kind: input.run === "daily" ? "staff.digest_daily" : "staff.digest_weekly",
      vars: { period: input.periodLabel, summary, dashboard_link: appUrl("/console") },
      eventId: digestKey(ctx.clinicId, input.run, input.from),
      slack: input.run === "weekly",
    });
  });
  return numbers;
}
