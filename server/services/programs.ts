import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, programs } from "@/db/schema";
import type { ProgramSettingsInput } from "@/server/schemas/program";
import { DomainError } from "./errors";

export type Program = typeof programs.$inferSelect;

export async function getProgram(db: Db, clinicId: string): Promise<Program> {
  const [row] = await db.select().from(programs).where(eq(programs.clinicId, clinicId));
  if (!row) throw new DomainError("NOT_FOUND", "This clinic has no referral program.");
  return row;
}

/** Default learn-more target (rule P3): the clinic's own program terms page. */
export function learnMoreHref(program: Pick<Program, "learnMoreUrl">, clinicSlug: string): string {
  return program.learnMoreUrl ?? `/terms/${clinicSlug}`;
}

export async function updateProgram(db: Db, clinicId: string, input: ProgramSettingsInput): Promise<Program> {
  const [row] = await db
    .update(programs)
    .set({
      enabled: input.enabled,
      referrerRewardCents: input.referrerRewardCents,
      refereeRewardCents: input.refereeRewardCents,
      attributionWindowDays: input.attributionWindowDays,
      learnMoreUrl: input.learnMoreUrl ?? null,
    })
    .where(eq(programs.clinicId, clinicId))
    .returning();
  if (!row) throw new DomainError("NOT_FOUND", "This clinic has no referral program.");
  return row;
}

export async function clinicBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(clinics).where(eq(clinics.slug, slug));
  return row;
}

export async function clinicById(db: Db, clinicId: string) {
  const [row] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  if (!row) throw new DomainError("NOT_FOUND", "No such clinic.");
  return row;
}
