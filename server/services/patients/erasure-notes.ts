import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { activityEvents, appointments, auditLog, balanceAdjustments, creditReservations, orders, referrals, rewards } from "@/db/schema";
import { smsAddress } from "@/server/kernel/contact";
import type { ServiceContext } from "@/server/kernel/context";

export const ERASED = "[erased]";

/** Escapes a literal for a regular expression (the same in Postgres's ARE and in JavaScript). */
const literal = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

/** A phone number however it is typed: "+1 (415) 555-0199", "415.555.0199", "14155550199". */
function phoneForms(digits: string): string {
  const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  const spaced = [...national].join("[ ().-]*");
  return national === digits ? spaced : `(?:1[ ().-]*)?${spaced}`;
}

/** How a text may name a person, as one pattern for Postgres (`~*`) and one for JavaScript. */
export type Naming = { pg: string; js: RegExp };

function namingOf(alternatives: string[]): Naming {
  const body = `(?:${alternatives.join("|")})`;
  // Whole words only, so "Al" does not match "Also".
  return { pg: `(?<![[:alnum:]_])${body}(?![[:alnum:]_])`, js: new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, "giu") };
}

type Person = { firstName: string; lastName: string; email: string; emailNormalized: string; phoneNormalized: string | null };

/**
 * Rule N3: what names a person in free text. `exact` (email, phone, full name) cannot be
 * anyone else and is looked for clinic-wide; `any` adds the first and the last name alone,
 * looked for only on the rows of the person and the people they referred or were referred by.
 */
export function namesOf(p: Person): { exact: Naming; any: Naming; addresses: string[] } {
  const sms = smsAddress(p.phoneNormalized);
  const addresses = [...new Set([p.email.toLowerCase(), p.emailNormalized.toLowerCase(), ...(sms ? [sms] : [])])];
  const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).map(literal);
  const full = [...words(p.firstName), ...words(p.lastName)].join("\\s+");
  const exact = [...new Set([p.email, p.emailNormalized].map((e) => literal(e.toLowerCase())))];
  if (p.phoneNormalized) exact.push(phoneForms(p.phoneNormalized));
  if (full) exact.push(full);
  const single = [p.firstName, p.lastName].map((n) => n.trim()).filter((n) => n.length >= 2).map(literal);
  return { exact: namingOf(exact), any: namingOf([...exact, ...single]), addresses };
}

export const mentions = (naming: Naming, col: AnyPgColumn | SQL) => sql`(${col})::text ~* ${naming.pg}`;
/** Replaces each mention, keeping the rest of the text (messages, delivery logs). */
export const scrubText = (naming: Naming, col: AnyPgColumn) => sql`regexp_replace(${col}, ${naming.pg}, ${ERASED}, 'gi')`;
export const scrubJson = (naming: Naming, col: AnyPgColumn) => sql`regexp_replace((${col})::text, ${naming.pg}, ${ERASED}, 'gi')::jsonb`;
export const scrubString = (naming: Naming, s: string) => s.replace(naming.js, ERASED);

/** A staff note that names the person becomes "[erased]" as a whole: the rest of it is about them too. */
const noteOf = (naming: Naming, col: AnyPgColumn) => sql`case when ${mentions(naming, col)} then ${ERASED} else ${col} end`;

/** Every string in a JSON document that names the person becomes "[erased]"; keys, numbers and shape stay. */
function eraseInJson(value: unknown, naming: Naming): unknown {
  if (typeof value === "string") return value.search(naming.js) >= 0 ? ERASED : value;
  if (Array.isArray(value)) return value.map((v) => eraseInJson(v, naming));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, eraseInJson(v, naming)]));
  return value;
}

/** Whose rows a pass reads: the erased patient's and their referral partners' (with their referrals and what they did), or the whole clinic's. */
export type Among = { people: string[]; referrals: string[]; targets: string[] } | "clinic";

/** The patient, the people they referred or were referred by, their referrals, and every row an audit entry about them can point at. */
export async function relatedRows(ctx: ServiceContext, input: { patientId: string }): Promise<Exclude<Among, "clinic">> {
  const { db: tx, clinicId } = ctx;
  const { patientId } = input;
  const links = await tx
    .select({ id: referrals.id, referrerId: referrals.referrerId, refereeId: referrals.refereeId })
    .from(referrals)
    .where(and(eq(referrals.clinicId, clinicId), or(eq(referrals.referrerId, patientId), eq(referrals.refereeId, patientId))));
  const people = [...new Set([patientId, ...links.flatMap((l) => [l.referrerId, l.refereeId])])];
  const theirReferrals = await tx
    .select({ id: referrals.id })
    .from(referrals)
    .where(and(eq(referrals.clinicId, clinicId), or(inArray(referrals.referrerId, people), inArray(referrals.refereeId, people))));
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const owned = async (table: typeof rewards | typeof orders | typeof appointments | typeof creditReservations) =>
    ids(await tx.select({ id: table.id }).from(table).where(and(eq(table.clinicId, clinicId), inArray(table.patientId, people))));
  const referralIds = ids(theirReferrals);
  const targets = [...people, ...referralIds, ...(await owned(rewards)), ...(await owned(orders)), ...(await owned(appointments)), ...(await owned(creditReservations))];
  return { people, referrals: referralIds, targets };
}

/**
 * Rules C4, N3: staff notes that name the person (adjustment reasons, reward status reasons,
 * review notes, activity detail, audit entries) become "[erased]". Amounts, statuses, ids and
 * who acted stay, so the ledger and the audit trail still add up.
 */
export async function eraseNotes(ctx: ServiceContext, input: { naming: Naming; among: Among }): Promise<void> {
  const { db: tx, clinicId } = ctx;
  const { naming } = input;
  const rel = input.among === "clinic" ? null : input.among;

  await tx
    .update(balanceAdjustments)
    .set({ reason: noteOf(naming, balanceAdjustments.reason) })
    .where(and(eq(balanceAdjustments.clinicId, clinicId), rel ? inArray(balanceAdjustments.patientId, rel.people) : undefined, mentions(naming, balanceAdjustments.reason)));
  await tx
    .update(rewards)
    .set({ statusReason: noteOf(naming, rewards.statusReason) })
    .where(and(eq(rewards.clinicId, clinicId), rel ? inArray(rewards.patientId, rel.people) : undefined, mentions(naming, rewards.statusReason)));
  await tx
    .update(referrals)
    .set({ reviewNote: noteOf(naming, referrals.reviewNote) })
    .where(and(eq(referrals.clinicId, clinicId), rel ? or(inArray(referrals.referrerId, rel.people), inArray(referrals.refereeId, rel.people)) : undefined, mentions(naming, referrals.reviewNote)));

  const activity = await tx
    .select({ id: activityEvents.id, detail: activityEvents.detail })
    .from(activityEvents)
    .where(
      and(
        eq(activityEvents.clinicId, clinicId),
        rel ? or(inArray(activityEvents.patientId, rel.people), inArray(activityEvents.referralId, rel.referrals)) : undefined,
        mentions(naming, activityEvents.detail),
      ),
    );
  for (const row of activity) {
    await tx.update(activityEvents).set({ detail: eraseInJson(row.detail, naming) as typeof row.detail }).where(eq(activityEvents.id, row.id));
  }

  const entries = await tx
    .select({ id: auditLog.id, reason: auditLog.reason, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.clinicId, clinicId),
        rel ? inArray(auditLog.targetId, rel.targets) : undefined,
        or(mentions(naming, auditLog.reason), mentions(naming, auditLog.before), mentions(naming, auditLog.after)),
      ),
    );
  if (!entries.length) return;
  // Rule C4's one exception (issue 19): the audit log's trigger (migration 0024) lets an
  // erasure's own transaction, and nothing else, replace a reason by "[erased]" and redact
  // before/after; who acted, what, on what and when stay as they were.
  await tx.execute(sql`select set_config('app.erasure', 'on', true)`);
  for (const entry of entries) {
    await tx
      .update(auditLog)
      .set({
        reason: entry.reason !== null && entry.reason.search(naming.js) >= 0 ? ERASED : entry.reason,
        before: eraseInJson(entry.before, naming),
        after: eraseInJson(entry.after, naming),
      })
      .where(eq(auditLog.id, entry.id));
  }
}
