import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { clickBatcherFor } from "./click-batcher";
import type { LandingCache, LinkTarget } from "./landing-cache";
import { clinics, programs, programVersions, referralCodes, referrals, users, type CLICK_CHANNELS, type REWARD_KINDS } from "@/db/schema";
import type { ReferralFilter } from "@/server/schemas/filters";
import { activityEvents } from "@/db/schema";
import { emit } from "@/server/events/emit";
import { referralWhere } from "@/server/services/insights/filters";
import { fraudSignals, type Fingerprint } from "./fraud";
import { canonicalCode } from "./codes";
import { DomainError } from "@/server/kernel/errors";
import type { ServiceContext } from "@/server/kernel/context";
import { firstNameLastInitial } from "@/server/kernel/contact";
import { learnMoreHref } from "@/server/services/programs/programs";

type Clinic = { id: string; name: string; slug: string; logoId?: string | null; brandColor?: string | null };
export type RewardTerms = { kind: (typeof REWARD_KINDS)[number]; amount: number };

export type Landing =
  | { kind: "unknown" }
  | { kind: "rotated"; clinic: Clinic }
  | { kind: "paused"; clinic: Clinic }
  | {
      kind: "active";
      clinic: Clinic;
      codeId: string;
      code: string;
      refereeReward: RewardTerms;
      attributionWindowDays: number;
      learnMoreHref: string;
    };

/**
 * The landing path's context: a link is opened before any clinic or actor is known, so it
 * carries the database alone (the (ctx, input) contract's public-lookup case).
 */
export type LandingContext = Pick<ServiceContext, "db">;

/** What a shared link leads to (rules P1, P4): one indexed lookup. */
export async function resolveLanding(ctx: LandingContext, input: { code: string }): Promise<Landing> {
  return (await lookUpLink(ctx.db, canonicalCode(input.code))).landing;
}

async function lookUpLink(db: Db, code: string): Promise<LinkTarget> {
  if (!/^[A-Z0-9]{4,20}$/.test(code)) return { landing: { kind: "unknown" }, referrerId: null };
  const [row] = await db
    .select({
      codeId: referralCodes.id,
      code: referralCodes.code,
      patientId: referralCodes.patientId,
      rotatedAt: referralCodes.rotatedAt,
      clinic: { id: clinics.id, name: clinics.name, slug: clinics.slug, logoId: clinics.logoId, brandColor: clinics.brandColor },
      enabled: programs.enabled,
      version: {
        refereeRewardKind: programVersions.refereeRewardKind,
        refereeRewardAmount: programVersions.refereeRewardAmount,
        attributionWindowDays: programVersions.attributionWindowDays,
        learnMoreUrl: programVersions.learnMoreUrl,
      },
    })
    .from(referralCodes)
    .innerJoin(clinics, eq(clinics.id, referralCodes.clinicId))
    .innerJoin(programs, eq(programs.clinicId, referralCodes.clinicId))
    .innerJoin(programVersions, eq(programVersions.id, programs.currentVersionId))
    .where(eq(referralCodes.code, code));
  if (!row) return { landing: { kind: "unknown" }, referrerId: null };
  if (row.rotatedAt) return { landing: { kind: "rotated", clinic: row.clinic }, referrerId: null };
  if (!row.enabled) return { landing: { kind: "paused", clinic: row.clinic }, referrerId: null };
  const landing: Landing = {
    kind: "active",
    clinic: row.clinic,
    codeId: row.codeId,
    code: row.code,
    refereeReward: { kind: row.version.refereeRewardKind, amount: row.version.refereeRewardAmount },
    attributionWindowDays: row.version.attributionWindowDays,
    learnMoreHref: learnMoreHref(row.version, row.clinic.slug),
  };
  return { landing, referrerId: row.patientId };
}

export type ClickInput = {
  clinicId: string;
  codeId: string;
  /** The code's owner, the referrer the click is credited to. */
  patientId: string;
  channel: (typeof CLICK_CHANNELS)[number] | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  ipHash: string | null;
  userAgent: string | null;
};

/** Rule P4: a click is recorded for every opening of an active link. Clicks are analytics, not domain events: no emit. */
export async function recordClick(ctx: LandingContext, click: ClickInput): Promise<void> {
  await ctx.db.insert(activityEvents).values({ ...click, type: "click" });
}

type ClickDetails = Omit<ClickInput, "clinicId" | "codeId" | "patientId">;

/**
 * Rules P1 and P4 for the hot path of every shared link: what the code leads to and, for an
 * active one, its click, recorded by the process's group commit and settled only once stored.
 * With `cache`, the lookup may be up to its TTL (at most 5 s) old; sign-up checks the code in
 * the database, so that never attributes through a rotated code. Others record nothing.
 */
export async function openReferralLink(ctx: LandingContext, input: { code: string; click: ClickDetails; cache?: LandingCache }): Promise<Landing> {
  const { db } = ctx;
  const { click, cache } = input;
  const code = canonicalCode(input.code);
  const { landing, referrerId } = await (cache ? cache.get(code, () => lookUpLink(db, code)) : lookUpLink(db, code));
  if (landing.kind === "active" && referrerId) {
    await clickBatcherFor(db).record({ ...click, clinicId: landing.clinic.id, codeId: landing.codeId, patientId: referrerId });
  }
  return landing;
}

/** The attribution cookie is per clinic, so links of two clinics never overwrite each other. */
export function attributionCookieName(clinicSlug: string): string {
  return `rf_${clinicSlug.replace(/[^a-z0-9-]/gi, "")}`;
}

/**
 * The attribution cookie's value: the code and when its link was opened (epoch seconds), so the
 * attribution window (rule P4) is checked at sign-up too, not only by the browser's Max-Age.
 */
export function attributionCookieValue(code: string, openedAt: Date): string {
  return `${code}.${Math.floor(openedAt.getTime() / 1000)}`;
}

export type AttributionCookie = { code: string; openedAt: Date | null };

/** A cookie from before the opening time was recorded holds the code alone: the browser's Max-Age bounded it. */
export function parseAttributionCookie(value: string | null | undefined): AttributionCookie | null {
  const match = /^([A-Za-z0-9]{4,20})(?:\.(\d{1,12}))?$/.exec(value?.trim() ?? "");
  if (!match?.[1]) return null;
  return { code: match[1], openedAt: match[2] ? new Date(Number(match[2]) * 1000) : null };
}

type Referee = { id: string; email: string; emailNormalized: string; phoneNormalized: string | null };

/**
 * Rule P5: which code a sign-up carries. A typed code wins over the cookie when they differ:
 * it is what the person chose at the moment of signing up, while the cookie may hold an older
 * link. The cookie alone links too, and the referral counts as from the link when the cookie
 * (still inside its window) names the same code.
 */
function chooseClaim(typedCode: string | null, cookie: AttributionCookie | null): { code: string; fromCookie: boolean } | null {
  if (typedCode) return { code: typedCode, fromCookie: !!cookie && canonicalCode(cookie.code) === canonicalCode(typedCode) };
  return cookie ? { code: cookie.code, fromCookie: true } : null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Rules P5 and P6: link a new patient to the owner of the code they signed up with, typed or
 * carried by the attribution cookie. Runs in the sign-up transaction, so the referral exists
 * from the first moment or never (P5).
 */
export async function attributeAtSignUp(
  ctx: ServiceContext,
  input: { clinicName: string; referee: Referee; typedCode: string | null; cookie: AttributionCookie | null; fingerprint: Fingerprint; now: Date },
): Promise<{ referralId: string | null; notice: string | null }> {
  const { db: tx, actor, clinicId } = ctx;
  const claim = chooseClaim(input.typedCode, input.cookie);
  if (!claim) return { referralId: null, notice: null };
  const code = canonicalCode(claim.code);
  const [found] = await tx
    .select({
      codeId: referralCodes.id,
      rotatedAt: referralCodes.rotatedAt,
      referrer: {
        id: users.id,
        emailNormalized: users.emailNormalized,
        phoneNormalized: users.phoneNormalized,
        disabledAt: users.disabledAt,
      },
      enabled: programs.enabled,
      version: programVersions,
    })
    .from(referralCodes)
    .innerJoin(users, eq(users.id, referralCodes.patientId))
    .innerJoin(programs, eq(programs.clinicId, referralCodes.clinicId))
    .innerJoin(programVersions, eq(programVersions.id, programs.currentVersionId))
    .where(and(eq(referralCodes.code, code), eq(referralCodes.clinicId, clinicId)));

  // Rule P4: a cookie counts only inside the clinic's attribution window, measured from the opening.
  const openedAt = input.cookie?.openedAt;
  const cookieInWindow = !!found && (!openedAt || input.now.getTime() - openedAt.getTime() < found.version.attributionWindowDays * DAY_MS);
  const fromLink = claim.fromCookie && cookieInWindow;
  // Nothing typed: a stale, unknown or rotated cookie (rule P2) links nothing and is no error to the person.
  if (!input.typedCode && (!found || found.rotatedAt || !fromLink)) return { referralId: null, notice: null };

  if (!found) {
    throw new DomainError(
      "invalid",
      `We couldn't find the referral code "${code}" at ${input.clinicName}. Check it against your invitation, or leave it empty.`,
      "referralCode",
    );
  }
  if (found.rotatedAt) {
    throw new DomainError(
      "invalid",
      "That referral code is no longer active. Ask your friend for their current link, or leave the code empty.",
      "referralCode",
    );
  }
  // Rule P1: a paused program makes no new referrals; the account is still created.
  if (!found.enabled) {
    return { referralId: null, notice: `${input.clinicName}'s referral program is paused, so this sign-up was not linked to a referral.` };
  }

  const { referee } = input;
  const referrer = found.referrer;
  const reason = await ineligibility(ctx, { referrer, referee });
  // Rule P6: suspicious but eligible referrals wait for a person; their rewards are held.
  const flags = reason
    ? []
    : await fraudSignals(ctx, {
        referrerId: referrer.id,
        refereeEmail: referee.email,
        fingerprint: input.fingerprint,
        velocityLimitPerDay: found.version.velocityLimitPerDay,
      });

  const [referral] = await tx
    .insert(referrals)
    .values({
      clinicId,
      referrerId: referrer.id,
      refereeId: referee.id,
      codeId: found.codeId,
      source: fromLink ? "link" : "typed_code",
      status: reason ? "ineligible" : "signed_up",
      ineligibleReason: reason,
      // Rule P14: the terms in force now are the terms this referral keeps.
      programVersionId: found.version.id,
      reviewState: flags.length ? "pending" : "none",
      flags,
    })
    .returning({ id: referrals.id });
  if (!referral) throw new Error("referral insert returned nothing");
  const who = { referralId: referral.id, referrerId: referrer.id, refereeId: referee.id };
  const source = fromLink ? ("link" as const) : ("typed_code" as const);
  const status = reason ? ("ineligible" as const) : ("signed_up" as const);
  await emit(tx, actor, { type: "referral.created", clinicId, data: { ...who, codeId: found.codeId, source, status, ineligibleReason: reason, channel: null } });
  if (flags.length) await emit(tx, actor, { type: "referral.flagged", clinicId, data: { ...who, flags: flags.map((f) => f.kind) } });
  return { referralId: referral.id, notice: null };
}

type Referrer = Pick<Referee, "emailNormalized" | "phoneNormalized"> & { disabledAt: Date | null };

/** Rule P6: why a referral between these two earns nothing, or null when it may. */
export async function ineligibility(ctx: ServiceContext, input: { referrer: Referrer; referee: Referee }) {
  const { referrer, referee } = input;
  if (referrer.disabledAt) return "referrer_disabled" as const;
  if (isSamePerson(referrer, referee)) return "self_referral" as const;
  if (await isExistingPatient(ctx.db, ctx.clinicId, referee)) return "existing_patient" as const;
  return null;
}

/** Rule P6: the same normalized email or phone is the same person. */
function isSamePerson(a: Pick<Referee, "emailNormalized" | "phoneNormalized">, b: Pick<Referee, "emailNormalized" | "phoneNormalized">): boolean {
  return a.emailNormalized === b.emailNormalized || (!!a.phoneNormalized && a.phoneNormalized === b.phoneNormalized);
}

/** Rule P6: someone already on the clinic's books under another account is not a new patient. */
async function isExistingPatient(tx: Db, clinicId: string, referee: Referee): Promise<boolean> {
  const sameIdentity = referee.phoneNormalized
    ? or(eq(users.emailNormalized, referee.emailNormalized), eq(users.phoneNormalized, referee.phoneNormalized))
    : eq(users.emailNormalized, referee.emailNormalized);
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.role, "patient"), ne(users.id, referee.id), sameIdentity))
    .limit(1);
  return !!row;
}

export const INELIGIBLE_REASON_TEXT = {
  self_referral: "Self-referral: the new patient's email or phone matches the referrer's.",
  existing_patient: "Already a patient: the email or phone matches an existing patient of the clinic.",
  referrer_disabled: "The referrer's account is disabled.",
  rejected: "Rejected by staff after review.",
} as const;

/** Why a referral earns nothing, in the words a referrer may read: each is about the referrer or the clinic's decision. */
export const REFERRER_VISIBLE_REASONS = ["self_referral", "referrer_disabled", "rejected"] as const;
type VisibleReason = (typeof REFERRER_VISIBLE_REASONS)[number];
const isVisibleReason = (reason: string | null): reason is VisibleReason => REFERRER_VISIBLE_REASONS.some((r) => r === reason);

/**
 * Rule P15: a referrer's referrals, each referee as first name and last initial only. A referee
 * who already was a patient reads as a sign-up like any other: anything else would tell whoever
 * signs up with an email or phone whether it belongs to a patient (rule N3); staff see the reason.
 */
export async function referralsOfReferrer(ctx: ServiceContext, input: { referrerId: string }) {
  const rows = await ctx.db
    .select({
      id: referrals.id,
      status: referrals.status,
      ineligibleReason: referrals.ineligibleReason,
      underReview: sql<boolean>`${referrals.reviewState} = 'pending'`,
      referrerReward: { kind: programVersions.referrerRewardKind, amount: programVersions.referrerRewardAmount },
      qualifyingEvent: programVersions.qualifyingEvent,
      createdAt: referrals.createdAt,
      qualifiedAt: referrals.qualifiedAt,
      firstName: users.firstName,
      lastName: users.lastName,
    })
    .from(referrals)
    .innerJoin(users, eq(users.id, referrals.refereeId))
    .innerJoin(programVersions, eq(programVersions.id, referrals.programVersionId))
    .where(and(eq(referrals.clinicId, ctx.clinicId), eq(referrals.referrerId, input.referrerId)))
    .orderBy(desc(referrals.createdAt));
  return rows.map(({ firstName, lastName, ...r }) => {
    const hidden = r.status === "ineligible" && r.ineligibleReason === "existing_patient";
    return { ...r, status: hidden ? ("signed_up" as const) : r.status, ineligibleReason: isVisibleReason(r.ineligibleReason) ? r.ineligibleReason : null, refereeName: firstNameLastInitial(firstName, lastName) };
  });
}

/** The console's list of the clinic's referrals (rule N1: scoped to one clinic). */
export async function clinicReferrals(ctx: ServiceContext, input: { filter?: ReferralFilter; limit: number; offset: number }) {
  const referrer = alias(users, "referrer");
  const referee = alias(users, "referee");
  const rows = await ctx.db
    .select({
      id: referrals.id,
      status: referrals.status,
      ineligibleReason: referrals.ineligibleReason,
      source: referrals.source,
      reviewState: referrals.reviewState,
      referrerReward: { kind: programVersions.referrerRewardKind, amount: programVersions.referrerRewardAmount },
      refereeReward: { kind: programVersions.refereeRewardKind, amount: programVersions.refereeRewardAmount },
      createdAt: referrals.createdAt,
      qualifiedAt: referrals.qualifiedAt,
      referrer: { id: referrer.id, firstName: referrer.firstName, lastName: referrer.lastName, email: referrer.email },
      referee: { id: referee.id, firstName: referee.firstName, lastName: referee.lastName, email: referee.email },
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(referrals)
    .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
    .innerJoin(referee, eq(referee.id, referrals.refereeId))
    .innerJoin(programVersions, eq(programVersions.id, referrals.programVersionId))
    .where(referralWhere(ctx.clinicId, input.filter))
    .orderBy(desc(referrals.createdAt), desc(referrals.id))
    .limit(input.limit)
    .offset(input.offset);
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _total, ...r }) => r) };
}
