import { z } from "zod";
import { calendarDate } from "./dates";
import { singleLine } from "./text";
import { LEDGER_KINDS } from "@/db/schema/ledger";
import { REFERRAL_STATUSES } from "@/db/schema/referrals";

/** Filters arrive from forms and URLs: an empty field means "any". */
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

const day = (label: string) =>
  z.preprocess(blankToUndefined, calendarDate(label).optional());

const dateRange = {
  from: day("From"),
  to: day("To"),
};

const rangeInOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
const rangeMessage = { message: "The From date must be on or before the To date.", path: ["to"] };

export const referralFilter = z
  .object({
    status: z.preprocess(blankToUndefined, z.enum(REFERRAL_STATUSES, { error: "Choose a status from the list." }).optional()),
    ...dateRange,
  })
  .refine(rangeInOrder, rangeMessage);
export type ReferralFilter = z.infer<typeof referralFilter>;

export const ledgerFilter = z
  .object({
    kind: z.preprocess(blankToUndefined, z.enum(LEDGER_KINDS, { error: "Choose an entry type from the list." }).optional()),
    ...dateRange,
  })
  .refine(rangeInOrder, rangeMessage);
export type LedgerFilter = z.infer<typeof ledgerFilter>;

export const auditFilter = z
  .object({
    action: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9_.]{1,80}$/, "Choose an action from the list.").optional()),
    actor: z.preprocess(blankToUndefined, z.uuid({ error: "Choose a staff member from the list." }).optional()),
    ...dateRange,
  })
  .refine(rangeInOrder, rangeMessage);
export type AuditFilter = z.infer<typeof auditFilter>;

/** Free-text search of names and emails: one line, no control characters (they would reach SQL). */
export const searchField = singleLine().max(100, "Search for at most 100 characters.").default("");

/** An opaque keyset position (created_at, id) handed back for the next page. */
export const cursorField = z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "That page link is broken. Go back to the newest entries.").optional());

/** The query string of a filter, empty values left out, for links that keep the filter. */
export function filterQuery(filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
