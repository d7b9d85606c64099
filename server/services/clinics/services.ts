import { and, asc, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { services } from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import type { serviceFields } from "@/server/schemas/services";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";

type ServiceFields = z.output<typeof serviceFields>;
const columns = { id: services.id, name: services.name, description: services.description, priceCents: services.priceCents, active: services.active };

/** Every service of the clinic, offered ones first; archived ones stay for the orders that name them. */
export function clinicServices(db: Db, clinicId: string) {
  return db.select(columns).from(services).where(eq(services.clinicId, clinicId)).orderBy(desc(services.active), asc(services.name));
}

export async function createService(db: Db, actor: Actor, input: ServiceFields & { clinicId: string }) {
  const { clinicId, ...fields } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(services).values({ clinicId, ...fields }).returning(columns);
    if (!row) throw new Error("the service was not created");
    await auditBy(tx, actor, { clinicId, action: "service.create", targetType: "service", targetId: row.id, after: fields });
    return row;
  });
}

/** A new name or price applies to orders from now on; order lines keep what they were sold at. */
export async function updateService(db: Db, actor: Actor, input: ServiceFields & { clinicId: string; serviceId: string }) {
  const { clinicId, serviceId, ...fields } = input;
  return db.transaction(async (tx) => {
    const before = await lockedService(tx, clinicId, serviceId);
    const [row] = await tx.update(services).set(fields).where(eq(services.id, serviceId)).returning(columns);
    if (!row) throw new Error("the service was not updated");
    await auditBy(tx, actor, { clinicId, action: "service.update", targetType: "service", targetId: serviceId, before: { name: before.name, description: before.description, priceCents: before.priceCents }, after: fields });
    return row;
  });
}

/** Archived services leave the shop and the front desk's choices; restoring brings them back. */
export async function setServiceActive(db: Db, actor: Actor, input: { clinicId: string; serviceId: string; active: boolean }) {
  return db.transaction(async (tx) => {
    const before = await lockedService(tx, input.clinicId, input.serviceId);
    const [row] = await tx.update(services).set({ active: input.active }).where(eq(services.id, input.serviceId)).returning(columns);
    if (!row) throw new Error("the service was not updated");
    if (before.active !== input.active) {
      await auditBy(tx, actor, { clinicId: input.clinicId, action: input.active ? "service.restore" : "service.archive", targetType: "service", targetId: input.serviceId });
    }
    return row;
  });
}

async function lockedService(tx: Db, clinicId: string, serviceId: string) {
  const [row] = await tx.select(columns).from(services).where(and(eq(services.id, serviceId), eq(services.clinicId, clinicId))).for("update");
  // Rule N1: another clinic's service is as absent as one that never existed.
  if (!row) throw new DomainError("not_found", "That service was not found.");
  return row;
}
