import { and, asc, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { services } from "@/db/schema";
import type { serviceFields } from "@/server/schemas/services";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";

type ServiceFields = z.output<typeof serviceFields>;
const columns = { id: services.id, name: services.name, description: services.description, priceCents: services.priceCents, active: services.active };

/** Every service of the clinic, offered ones first; archived ones stay for the orders that name them. */
export function clinicServices(ctx: ServiceContext) {
  return ctx.db.select(columns).from(services).where(eq(services.clinicId, ctx.clinicId)).orderBy(desc(services.active), asc(services.name));
}

export async function createService(ctx: ServiceContext, input: ServiceFields) {
  const fields = input;
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [row] = await tx.insert(services).values({ clinicId, ...fields }).returning(columns);
    if (!row) throw new Error("the service was not created");
    await auditBy(tx, actor, { clinicId, action: "service.create", targetType: "service", targetId: row.id, after: fields });
    return row;
  });
}

/** A new name or price applies to orders from now on; order lines keep what they were sold at. */
export async function updateService(ctx: ServiceContext, input: ServiceFields & { serviceId: string }) {
  const { serviceId, ...fields } = input;
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await lockedService(tx, clinicId, serviceId);
    const [row] = await tx.update(services).set(fields).where(eq(services.id, serviceId)).returning(columns);
    if (!row) throw new Error("the service was not updated");
    await auditBy(tx, actor, { clinicId, action: "service.update", targetType: "service", targetId: serviceId, before: { name: before.name, description: before.description, priceCents: before.priceCents }, after: fields });
    return row;
  });
}

/** Archived services leave the shop and the front desk's choices; restoring brings them back. */
export async function setServiceActive(ctx: ServiceContext, input: { serviceId: string; active: boolean }) {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const before = await lockedService(tx, clinicId, input.serviceId);
    const [row] = await tx.update(services).set({ active: input.active }).where(eq(services.id, input.serviceId)).returning(columns);
    if (!row) throw new Error("the service was not updated");
    if (before.active !== input.active) {
      await auditBy(tx, actor, { clinicId, action: input.active ? "service.restore" : "service.archive", targetType: "service", targetId: input.serviceId });
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
