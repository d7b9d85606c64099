import { auditBy } from "@/server/kernel/audit";
import type { ServiceContext } from "@/server/kernel/context";

/** What kind of term a search was, which is all the audit keeps of it: the term itself is personal data. */
export function searchKind(term: string): "none" | "email" | "phone" | "name" {
  const t = term.trim();
  if (!t) return "none";
  if (t.includes("@")) return "email";
  return /^[\d\s()+.-]+$/.test(t) ? "phone" : "name";
}

/**
 * Rule N3: a staff member looked at patient data. Written in the transaction of the read, with
 * which patients were shown (by id) and how the list was narrowed, never what was typed.
 */
export async function recordAccess(
  ctx: ServiceContext,
  input: { action: string; targetId?: string | null; search?: string; patientIds: Iterable<string> },
): Promise<void> {
  const patientIds = [...new Set(input.patientIds)];
  await auditBy(ctx.db, ctx.actor, {
    clinicId: ctx.clinicId,
    action: input.action,
    targetType: "patient",
    targetId: input.targetId ?? null,
    after: { ...(input.search !== undefined ? { search: searchKind(input.search) } : {}), results: patientIds.length, patientIds },
  });
}
