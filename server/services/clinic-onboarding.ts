import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { clinics, programs } from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import type { createClinicInput } from "@/server/schemas/clinic-onboarding";
import { auditBy } from "./audit";
import { DomainError } from "./errors";
import { inviteMember } from "./invitations";
import { createProgram } from "./programs";

/**
 * Issue 13: a platform admin adds a clinic: its program starts paused (rule P1) with the default
 * terms, and its first admin is invited by email, all in one transaction. A taken address is a
 * CONFLICT decided by the database's unique index, so two admins racing for one slug get one clinic.
 */
export async function createClinic(db: Db, actor: Actor, input: z.output<typeof createClinicInput>): Promise<{ clinicId: string }> {
  return db.transaction(async (tx) => {
    const [clinic] = await tx.insert(clinics).values({ name: input.name, slug: input.slug, timeZone: input.timeZone }).onConflictDoNothing({ target: clinics.slug }).returning({ id: clinics.id });
    if (!clinic) throw new DomainError("CONFLICT", `The address "${input.slug}" is taken by another clinic. Choose another.`, "slug");
    await createProgram(tx, clinic.id);
    await tx.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
    await auditBy(tx, actor, { clinicId: clinic.id, action: "clinic.create", targetType: "clinic", targetId: clinic.id, after: { name: input.name, slug: input.slug, timeZone: input.timeZone } });
    await inviteMember(tx, { clinicId: clinic.id, email: input.adminEmail, role: "admin", actor });
    return { clinicId: clinic.id };
  });
}

/**
 * Issue 13, rule P1: a platform admin pauses (or resumes) a clinic's referral program: no new
 * referrals while paused; what was earned stays. Audited in the clinic's log.
 */
export async function setClinicPaused(db: Db, actor: Actor, input: { clinicId: string; paused: boolean }): Promise<{ paused: boolean }> {
  return db.transaction(async (tx) => {
    const [program] = await tx.update(programs).set({ enabled: !input.paused }).where(eq(programs.clinicId, input.clinicId)).returning({ enabled: programs.enabled });
    if (!program) throw new DomainError("NOT_FOUND", "That clinic was not found.");
    await auditBy(tx, actor, { clinicId: input.clinicId, action: input.paused ? "clinic.pause" : "clinic.resume", targetType: "clinic", targetId: input.clinicId });
    return { paused: !program.enabled };
  });
}
