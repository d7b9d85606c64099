import { desc, eq, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, programs, programVersions } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { requireAcceptedBaa, requireVerifiedAdmin } from "./going-live";

export type ProgramVersion = typeof programVersions.$inferSelect;
export type Program = { enabled: boolean; version: ProgramVersion };

/**
 * The switch (rule P1) and the settings now in force. A read that needs no actor: the public
 * sign-up and terms pages ask it for a clinic before anyone acts, so only the clinic is required.
 */
export async function getProgram(ctx: Pick<ServiceContext, "db" | "clinicId">): Promise<Program> {
  const [row] = await ctx.db
    .select({ enabled: programs.enabled, version: programVersions })
    .from(programs)
    .innerJoin(programVersions, eq(programVersions.id, programs.currentVersionId))
    .where(eq(programs.clinicId, ctx.clinicId));
  if (!row) throw new DomainError("not_found", "This clinic has no referral program.");
  return row;
}

/** Default learn-more target (rule P3): the clinic's own program terms page. */
export function learnMoreHref(version: Pick<ProgramVersion, "learnMoreUrl">, clinicSlug: string): string {
  return version.learnMoreUrl ?? `/terms/${clinicSlug}`;
}

export const DEFAULT_TERMS =
  "Share your personal link with friends and family. When someone signs up through it and completes their first paid visit, " +
  "you both receive the credit shown in your portal. Credits apply automatically to your next order and have no cash value. " +
  "Referring yourself or an existing patient earns nothing. The clinic may review referrals and change the program for future referrals.";

/**
 * A clinic's program, created with the default terms (rules P7, P14), in the transaction that
 * opens the clinic. Only the clinic is required: a practice's own sign-up opens it before anyone
 * can act for it.
 */
export async function createProgram(ctx: Pick<ServiceContext, "db" | "clinicId">): Promise<void> {
  const { db: tx, clinicId } = ctx;
  await tx.insert(programs).values({ clinicId });
  const [version] = await tx.insert(programVersions).values({ clinicId, version: 1, termsText: DEFAULT_TERMS }).returning();
  await tx.update(programs).set({ currentVersionId: version?.id }).where(eq(programs.clinicId, clinicId));
}

/**
 * Rules C3 and P14: a settings change is a new immutable version; referrals made earlier keep
 * theirs. The terms number moves only when the terms text changes, so patients re-accept only
 * new terms. Audited in the same transaction (rule C4).
 */
export async function updateProgram(ctx: ServiceContext, input: { settings: ProgramSettingsInput }): Promise<Program> {
  const { settings } = input;
  return withTransaction(ctx, async (service) => {
    const { db: tx, actor, clinicId } = service;
    const [locked] = await tx.select().from(programs).where(eq(programs.clinicId, clinicId)).for("update");
    if (!locked) throw new DomainError("not_found", "This clinic has no referral program.");
    const before = await getProgram(service);
    // Issue 13: going live waits for a confirmed admin address; a program already on stays saveable.
    if (settings.enabled && !before.enabled) await requireVerifiedAdmin(service);
    if (settings.enabled && !before.enabled) await requireAcceptedBaa(service);
    const [{ latest } = { latest: 0 }] = await tx
      .select({ latest: max(programVersions.version) })
      .from(programVersions)
      .where(eq(programVersions.clinicId, clinicId));
    const termsChanged = settings.termsText !== before.version.termsText;
    const [version] = await tx
      .insert(programVersions)
      .values({
        clinicId,
        version: (latest ?? 0) + 1,
        referrerRewardKind: settings.referrerReward.kind,
        referrerRewardAmount: settings.referrerReward.amount,
        refereeRewardKind: settings.refereeReward.kind,
        refereeRewardAmount: settings.refereeReward.amount,
        qualifyingEvent: settings.qualifyingEvent,
        attributionWindowDays: settings.attributionWindowDays,
        maxRewardedPerYear: settings.maxRewardedPerYear,
        maxRewardedLifetime: settings.maxRewardedLifetime,
        maxRewardValuePerYearCents: settings.maxRewardValuePerYearCents,
        milestones: [...settings.milestones].sort((a, b) => a.threshold - b.threshold),
        rewardExpiryDays: settings.rewardExpiryDays,
        expiryReminderDays: settings.expiryReminderDays,
        holdDays: settings.holdDays,
        learnMoreUrl: settings.learnMoreUrl,
        termsVersion: before.version.termsVersion + (termsChanged ? 1 : 0),
        termsText: settings.termsText,
        velocityLimitPerDay: settings.velocityLimitPerDay,
        governmentItemCapCents: settings.governmentItemCapCents,
        governmentYearCapCents: settings.governmentYearCapCents,
        governmentOverCapAction: settings.governmentOverCapAction,
        createdById: actorUserId(actor),
      })
      .returning();
    if (!version) throw new Error("program version insert returned nothing");
    await tx.update(programs).set({ enabled: settings.enabled, currentVersionId: version.id }).where(eq(programs.clinicId, clinicId));
    const after = { enabled: settings.enabled, version };
    const [was, now] = [settingsOf(before), settingsOf(after)];
    await auditBy(tx, actor, { clinicId, action: "program.update", targetType: "program", targetId: version.id, before: was, after: now });
    // The event names which settings changed, not their values (the terms text stays out of it).
    const changed = (Object.keys(now) as (keyof ProgramSettingsInput)[]).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]));
    await emit(tx, actor, { type: "program.updated", clinicId, data: { versionId: version.id, termsVersion: version.termsVersion, changed } });
    return after;
  });
}

/** The settings as an admin edits them; also what the audit log shows. */
export function settingsOf(program: Program): ProgramSettingsInput {
  const v = program.version;
  return {
    enabled: program.enabled,
    referrerReward: { kind: v.referrerRewardKind, amount: v.referrerRewardAmount },
    refereeReward: { kind: v.refereeRewardKind, amount: v.refereeRewardAmount },
    qualifyingEvent: v.qualifyingEvent,
    attributionWindowDays: v.attributionWindowDays,
    maxRewardedPerYear: v.maxRewardedPerYear,
    maxRewardedLifetime: v.maxRewardedLifetime,
    maxRewardValuePerYearCents: v.maxRewardValuePerYearCents,
    milestones: v.milestones,
    rewardExpiryDays: v.rewardExpiryDays,
    expiryReminderDays: v.expiryReminderDays,
    holdDays: v.holdDays,
    learnMoreUrl: v.learnMoreUrl,
    termsText: v.termsText,
    velocityLimitPerDay: v.velocityLimitPerDay,
    governmentItemCapCents: v.governmentItemCapCents,
    governmentYearCapCents: v.governmentYearCapCents,
    governmentOverCapAction: v.governmentOverCapAction,
  };
}

export async function programVersionById(ctx: ServiceContext, input: { id: string }): Promise<ProgramVersion> {
  const [row] = await ctx.db.select().from(programVersions).where(eq(programVersions.id, input.id));
  if (!row) throw new Error(`program version ${input.id} is missing`);
  return row;
}

export async function programHistory(ctx: ServiceContext) {
  return ctx.db.select().from(programVersions).where(eq(programVersions.clinicId, ctx.clinicId)).orderBy(desc(programVersions.version)).limit(50);
}

/** A public lookup by the address's slug (sign-in, sign-up, terms pages): before it, no clinic or actor is known. */
export async function clinicBySlug(ctx: { db: Db }, input: { slug: string }) {
  const [row] = await ctx.db.select().from(clinics).where(eq(clinics.slug, input.slug));
  return row;
}

export async function clinicById(ctx: ServiceContext) {
  const [row] = await ctx.db.select().from(clinics).where(eq(clinics.id, ctx.clinicId));
  if (!row) throw new DomainError("not_found", "No such clinic.");
  return row;
}
