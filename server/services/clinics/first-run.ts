import { and, count, eq, gt } from "drizzle-orm";
import { clinics, programs, programVersions, services, users } from "@/db/schema";
import { hasAcceptedBaa } from "./baa";
import { hasVerifiedAdmin } from "@/server/messaging/gate";
import type { ServiceContext } from "@/server/kernel/context";

/** `waitingFor`: what must happen before the step can be done (going live waits for a confirmed admin address and the BAA). */
export type ChecklistStep = { id: "profile" | "services" | "rewards" | "patients" | "agreement" | "live"; done: boolean; waitingFor: "email_confirmation" | "agreement" | null };

/**
 * Issue 13: the first-run checklist an admin follows to set the clinic up: profile, services,
 * rewards, patients, the BAA, going live. Each step reads what the clinic has, never a flag of its own,
 * so it stays true however the work was done (console, API or import).
 */
export async function firstRunChecklist(ctx: ServiceContext): Promise<ChecklistStep[]> {
  const { db, clinicId } = ctx;
  const [[clinic], [offered], [settings], [patients], [program], verified, agreed] = await Promise.all([
    db.select({ logoId: clinics.logoId, phone: clinics.phone, addressLine: clinics.addressLine }).from(clinics).where(eq(clinics.id, clinicId)),
    db.select({ n: count() }).from(services).where(and(eq(services.clinicId, clinicId), eq(services.active, true))),
    db.select({ n: count() }).from(programVersions).where(and(eq(programVersions.clinicId, clinicId), gt(programVersions.version, 1))),
    db.select({ n: count() }).from(users).where(and(eq(users.clinicId, clinicId), eq(users.role, "patient"))),
    db.select({ enabled: programs.enabled }).from(programs).where(eq(programs.clinicId, clinicId)),
    hasVerifiedAdmin(db, clinicId),
    hasAcceptedBaa(ctx),
  ]);
  const live = program?.enabled ?? false;
  return [
    { id: "profile", done: !!clinic && (!!clinic.logoId || (clinic.phone !== "" && clinic.addressLine !== "")), waitingFor: null },
    { id: "services", done: (offered?.n ?? 0) > 0, waitingFor: null },
    // The program's first version is the default; a saved settings change is a later one.
    { id: "rewards", done: (settings?.n ?? 0) > 0, waitingFor: null },
    { id: "patients", done: (patients?.n ?? 0) > 0, waitingFor: null },
    // Issue 19: the BAA in force; a live clinic that predates it still shows the step until an admin accepts.
    { id: "agreement", done: agreed, waitingFor: null },
    { id: "live", done: live, waitingFor: live ? null : !verified ? "email_confirmation" : !agreed ? "agreement" : null },
  ];
}
