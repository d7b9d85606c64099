import { and, eq, inArray } from "drizzle-orm";
import { clinics, users } from "@/db/schema";
import { appUrl } from "@/server/kernel/app-url";
import type { PlatformContext } from "@/server/kernel/context";

/**
 * What a delivery carries (rules A4, N3): the Standard Webhooks envelope `{type, timestamp, data}`
 * with the event catalog's payload (ids, statuses, amounts) and, for the patients it names, a
 * first name; last name, email and phone only when the endpoint may receive contact details.
 */
export type Envelope = { type: string; timestamp: string; data: Record<string, unknown> };

const PERSON_FIELDS = ["patientId", "referrerId", "refereeId"] as const;

type Person = { firstName: string } | { firstName: string; lastName: string; email: string; phone: string | null };

/** The patients an event of `ctx.clinicId` names, as the endpoint may receive them. */
export async function peopleOf(ctx: PlatformContext, input: { data: Record<string, unknown>; contactDetails: boolean }): Promise<Record<string, Person> | null> {
  // The partner program's events name partner referrers, not patients: they go out as ids alone.
  if (!ctx.clinicId) return null;
  const ids = [...new Set(PERSON_FIELDS.map((field) => input.data[field]).filter((v): v is string => typeof v === "string"))];
  if (!ids.length) return null;
  const rows = await ctx.db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, phone: users.phoneNormalized })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.clinicId, ctx.clinicId)));
  const people: Record<string, Person> = {};
  for (const row of rows) {
    people[row.id] = input.contactDetails ? { firstName: row.firstName, lastName: row.lastName, email: row.email, phone: row.phone } : { firstName: row.firstName };
  }
  return people;
}

/** The envelope of an event of `ctx.clinicId`. */
export async function envelopeFor(ctx: PlatformContext, input: { type: string; at: Date; data: Record<string, unknown>; contactDetails: boolean }): Promise<Envelope> {
  const people = await peopleOf(ctx, input);
  return { type: input.type, timestamp: input.at.toISOString(), data: people ? { ...input.data, people } : input.data };
}

export function isSlackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === "hooks.slack.com" || hostname.endsWith(".hooks.slack.com");
  } catch {
    return false;
  }
}

const money = (cents: unknown) => (typeof cents === "number" ? `$${(cents / 100).toFixed(2)}` : null);

/**
 * Issue 19: Slack reads `&`, `<` and `>` as markup (`<!channel>` pings everyone, `<url|text>` is a
 * link), so text from people is escaped as Slack's "Formatting text" guide says, and nothing else.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link Slack shows with our words; the URL is ours (appUrl), its text escaped. */
const slackLink = (url: string, text: string) => `<${url}|${escapeSlack(text)}>`;

/**
 * A one-line summary a person reads in a Slack channel: no ids dumped (rule N3). Patients' first
 * names only when an admin said the workspace is covered by a BAA (issue 19); otherwise the
 * sentence says "a patient" and the link opens the details in the console.
 */
function headline(envelope: Envelope, names: boolean): string {
  const d = envelope.data;
  const people = (d.people ?? {}) as Record<string, { firstName: string }>;
  const named = (field: string) => {
    const first = typeof d[field] === "string" ? people[d[field]]?.firstName : undefined;
    return names && first ? escapeSlack(first) : null;
  };
  const referee = named("refereeId");
  const referrer = named("referrerId");
  const patient = named("patientId");
  switch (envelope.type) {
    case "referral.created":
      return referee && referrer ? `${referee} signed up, referred by ${referrer}.` : "A new patient signed up through a referral.";
    case "referral.qualified":
      return referee && referrer ? `${referee}'s referral by ${referrer} qualified: both rewards are released.` : "A referral qualified: both rewards are released.";
    case "referral.flagged":
      return referrer ? `A referral by ${referrer} was flagged for review.` : "A referral was flagged for review.";
    case "reward.issued":
      return `${patient ?? "A patient"} earned a reward.`;
    case "order.paid":
      return `${patient ?? "A patient"} paid an order of ${money(d.totalCents) ?? "some amount"}.`;
    case "order.refunded":
      return `An order${patient ? ` of ${patient}` : ""} was refunded (${money(d.refundedCents) ?? "some amount"}).`;
    case "b2b.submission.created":
      return "A new practice referral was submitted.";
    case "webhook.test":
      return "Test event: this Slack channel receives the referral program's events.";
    default:
      return `Referral program event: ${escapeSlack(envelope.type)}.`;
  }
}

/** Where in the console the event's details are, for staff who sign in. */
function consolePath(envelope: Envelope): string | null {
  const patientId = envelope.data.patientId;
  if (envelope.type === "referral.flagged") return "/console/review";
  if (envelope.type.startsWith("referral.")) return "/console/referrals";
  if (typeof patientId === "string" && /^[0-9a-f-]{36}$/.test(patientId)) return `/console/patients/${patientId}`;
  return envelope.type === "webhook.test" ? null : "/console/activity";
}

/** Slack's incoming webhooks take Block Kit, not our envelope; `names` is the clinic's Slack BAA flag. */
export function slackMessage(envelope: Envelope, { names }: { names: boolean }) {
  const path = consolePath(envelope);
  const text = headline(envelope, names) + (path ? ` ${slackLink(appUrl(path), "Open in the console")}` : "");
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: [{ type: "mrkdwn", text: `\`${escapeSlack(envelope.type)}\` · ${envelope.timestamp}` }] },
    ],
  };
}

/** Issue 19: whether the clinic's (ctx.clinicId) admin said its Slack workspace is covered by a BAA, so posts may name patients. */
export async function slackMayName(ctx: PlatformContext): Promise<boolean> {
  const { clinicId } = ctx;
  if (!clinicId) return false;
  const [row] = await ctx.db.select({ coveredAt: clinics.slackBaaCoveredAt }).from(clinics).where(eq(clinics.id, clinicId));
  return !!row?.coveredAt;
}
