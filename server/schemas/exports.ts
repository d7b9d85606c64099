import { z } from "zod";
import { auditFilter, ledgerFilter, referralFilter } from "./filters";

/** Rule C6: the CSV exports, each with the filter of the list it exports. */
export const EXPORT_KINDS = ["referrals", "ledger", "audit"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const isExportKind = (kind: string): kind is ExportKind => (EXPORT_KINDS as readonly string[]).includes(kind);

/**
 * One export and its filter, from the route's segment and the query's values: keys that are no
 * filter of the export are ignored; an empty value means "any".
 */
export const exportInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("referrals"), filter: referralFilter }),
  z.object({ kind: z.literal("ledger"), filter: ledgerFilter }),
  z.object({ kind: z.literal("audit"), filter: auditFilter }),
]);
export type ExportInput = z.infer<typeof exportInput>;
