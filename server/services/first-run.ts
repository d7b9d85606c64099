import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clinics, programs, programVersions, services, users } from "@/db/schema";

export type ChecklistStep = { id: "profile" | "services" | "rewards" | "patients" | "live"; done: boolean };

/**
 * Issue 13: the first-run checklist an admin follows to set the clinic up: profile, services,
 * rewards, patients, going live. Each step reads what the clinic has, never a flag of its own,
 * so it stays true however the work was done (console, API or import).
 */
export async function firstRunChecklist(db: Db, clinicId: string): Promise<ChecklistStep[]> {
  const [[clinic], [offered], [settings], [patients], [program]] = await Promise.all([
    db.select({ logoId: clinics.logoId, phone: clinics.phone, addressLine: clinics.addressLine }).from(clinics).where(eq(clinics.id, clinicId)),
    db.select({ n: count() }).from(services).where(and(eq(services.clinicId, clinicId), eq(services.active, true))),
    db.select({ n: count() }).from(programVersions).where(and(eq(programVersions.clinicId, clinicId), gt(programVersions.version, 1))),
    db.select({ n: count() }).from(users).where(and(eq(users.clinicId, clinicId), eq(users.role, "patient"))),
    db.select({ enabled: programs.enabled }).from(programs).where(eq(programs.clinicId, clinicId)),
  ]);
  return [
    { id: "profile", done: !!clinic && (!!clinic.logoId || (clinic.phone !== "" && clinic.addressLine !== "")) },
    { id: "services", done: (offered?.n ?? 0) > 0 },
    // The program's first version is the default; a saved settings change is a later one.
    { id: "rewards", done: (settings?.n ?? 0) > 0 },
    { id: "patients", done: (patients?.n ?? 0) > 0 },
    { id: "live", done: program?.enabled ?? false },
  ];
}
