import { desc, eq, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, programs, programVersions } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { type Actor, actorUserId } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { requireAcceptedBaa, requireVerifiedAdmin } from "./going-live";

export type ProgramVersion = typeof programVersions.$inferSelect;
export type Program = { enabled: boolean; version: ProgramVersion };

/** The switch (rule P1) and the settings now in force. */
export async function getProgram(db: Db, clinicId: string): Promise<Program> {
  const [row] = await db
    .select({ enabled: programs.enabled, version: programVersions })
    .from(programs)
    .innerJoin(programVersions, eq(programVersions.id, programs.currentVersionId))
    .where(eq(programs.clinicId, clinicId));
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

/** A clinic's program, created with the default terms (rules P7, P14). */
export async function createProgram(tx: Db, clinicId: string): Promise<void> {
  await tx.insert(programs).values({ clinicId });
  const [version] = await tx.insert(programVersions).values({ clinicId, version: 1, termsText: DEFAULT_TERMS }).returning();
  await tx.update(programs).set({ currentVersionId: version?.id }).where(eq(programs.clinicId, clinicId));
}

/**
 * Rules C3 and P14: a settings change is a new immutable version; referrals made earlier keep
 * theirs. The terms number moves only when the terms text changes, so patients re-accept only
 * new terms. Audited in the same transaction (rule C4).
 */
export async function updateProgram(
  db: Db,
  input: { clinicId: string; actor: Actor; settings: ProgramSettingsInput },
): Promise<Program> {
  const { settings } = input;
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(programs).where(eq(programs.clinicId, input.clinicId)).for("update");
    if (!locked) throw new DomainError("not_found", "This clinic has no referral program.");
    const before = await getProgram(tx, input.clinicId);
    // Issue 13: going live waits for a confirmed admin address; a program already on stays saveable.
    if (settings.enabled && !before.enabled) await requireVerifiedAdmin(tx, input.clinicId);
    if (settings.enabled && !before.enabled) await requireAcceptedBaa(tx, input.clinicId);
    const [{ latest } = { latest: 0 }] = await tx
      .select({ latest: max(programVersions.version) })
      .from(programVersions)
      .where(eq(programVersions.clinicId, input.clinicId));
    const termsChanged = settings.termsText !== before.version.termsText;
    const [version] = await tx
      .insert(programVersions)
      .values({
        clinicId: input.clinicId,
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
        createdById: actorUserId(input.actor),
      })
      .returning();
    if (!version) throw new Error("program version insert returned nothing");
    await tx.update(programs).set({ enabled: settings.enabled, currentVersionId: version.id }).where(eq(programs.clinicId, input.clinicId));
    const after = { enabled: settings.enabled, version };
    const [was, now] = [settingsOf(before), settingsOf(after)];
    await auditBy(tx, input.actor, { clinicId: input.clinicId, action: "program.update", targetType: "program", targetId: version.id, before: was, after: now });
    // The event names which settings changed, not their values (the terms text stays out of it).
    const changed = (Object.keys(now) as (keyof ProgramSettingsInput)[]).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]));
    await emit(tx, input.actor, { type: "program.updated", clinicId: input.clinicId, data: { versionId: version.id, termsVersion: version.termsVersion, changed } });
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

export async function programVersionById(db: Db, id: string): Promise<ProgramVersion> {
  const [row] = await db.select().from(programVersions).where(eq(programVersions.id, id));
  if (!row) throw new Error(`program version ${id} is missing`);
  return row;
}

export async function programHistory(db: Db, clinicId: string) {
  return db.select().from(programVersions).where(eq(programVersions.clinicId, clinicId)).orderBy(desc(programVersions.version)).limit(50);
}

export async function clinicBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(clinics).where(eq(clinics.slug, slug));
  return row;
}

export async function clinicById(db: Db, clinicId: string) {
  const [row] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  if (!row) throw new DomainError("not_found", "No such clinic.");
  return row;
}
