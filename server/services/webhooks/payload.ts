import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";

/**
 * What a delivery carries (rules A4, N3): the Standard Webhooks envelope `{type, timestamp, data}`
 * with the event catalog's payload (ids, statuses, amounts) and, for the patients it names, a
 * first name; last name, email and phone only when the endpoint may receive contact details.
 */
export type Envelope = { type: string; timestamp: string; data: Record<string, unknown> };

const PERSON_FIELDS = ["patientId", "referrerId", "refereeId"] as const;

type Person = { firstName: string } | { firstName: string; lastName: string; email: string; phone: string | null };

export async function peopleOf(db: Db, input: { clinicId: string | null; data: Record<string, unknown>; contactDetails: boolean }): Promise<Record<string, Person> | null> {
  // The partner program's events name partner referrers, not patients: they go out as ids alone.
  if (!input.clinicId) return null;
  const ids = [...new Set(PERSON_FIELDS.map((field) => input.data[field]).filter((v): v is string => typeof v === "string"))];
  if (!ids.length) return null;
  const rows = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, phone: users.phoneNormalized })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.clinicId, input.clinicId)));
  const people: Record<string, Person> = {};
  for (const row of rows) {
    people[row.id] = input.contactDetails ? { firstName: row.firstName, lastName: row.lastName, email: row.email, phone: row.phone } : { firstName: row.firstName };
  }
  return people;
}

export async function envelopeFor(db: Db, input: { clinicId: string | null; type: string; at: Date; data: Record<string, unknown>; contactDetails: boolean }): Promise<Envelope> {
  const people = await peopleOf(db, input);
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

/** A one-line summary a person reads in a Slack channel: no ids dumped, and only a first name (rule N3). */
function headline(envelope: Envelope): string {
  const d = envelope.data;
  const people = (d.people ?? {}) as Record<string, { firstName: string }>;
  const name = (field: string) => (typeof d[field] === "string" ? people[d[field]]?.firstName : undefined) ?? "A patient";
  switch (envelope.type) {
    case "referral.created":
      return `${name("refereeId")} signed up, referred by ${name("referrerId")}.`;
    case "referral.qualified":
      return `${name("refereeId")}'s referral by ${name("referrerId")} qualified: both rewards are released.`;
    case "referral.flagged":
      return `A referral by ${name("referrerId")} was flagged for review.`;
    case "reward.issued":
      return `${name("patientId")} earned a reward.`;
    case "order.paid":
      return `${name("patientId")} paid an order of ${money(d.totalCents) ?? "some amount"}.`;
    case "order.refunded":
      return `An order of ${name("patientId")} was refunded (${money(d.refundedCents) ?? "some amount"}).`;
    case "b2b.submission.created":
      return "A new practice referral was submitted.";
    case "webhook.test":
      return "Test event: this Slack channel receives the referral program's events.";
    default:
      return `Referral program event: ${envelope.type}.`;
  }
}

/** Slack's incoming webhooks take Block Kit, not our envelope. */
export function slackMessage(envelope: Envelope) {
  const text = headline(envelope);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: [{ type: "mrkdwn", text: `\`${envelope.type}\` · ${envelope.timestamp}` }] },
    ],
  };
}
