import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import { baaAcceptances, users } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { type acceptBaaInput, BAA_VERSION, type BaaStatus } from "@/server/schemas/baa";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";

/**
 * Issue 19: whether an admin of the clinic accepted the agreement's version in force. Only the
 * database and the clinic: the public invitation page and its acceptance ask it before anyone is signed in.
 */
export async function hasAcceptedBaa(ctx: Pick<ServiceContext, "db" | "clinicId">): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: baaAcceptances.id })
    .from(baaAcceptances)
    .where(and(eq(baaAcceptances.clinicId, ctx.clinicId), eq(baaAcceptances.version, BAA_VERSION)))
    .limit(1);
  return !!row;
}

/** The version in force and the clinic's latest acceptance of any version. */
export async function baaStatus(ctx: ServiceContext): Promise<BaaStatus> {
  const [row] = await ctx.db
    .select({ signerName: baaAcceptances.signerName, acceptedAt: baaAcceptances.acceptedAt, version: baaAcceptances.version })
    .from(baaAcceptances)
    .where(eq(baaAcceptances.clinicId, ctx.clinicId))
    .orderBy(desc(baaAcceptances.version), desc(baaAcceptances.acceptedAt))
    .limit(1);
  return { version: BAA_VERSION, accepted: row ?? null };
}

/**
 * Issue 19: an admin accepts the version in force for their clinic: name, time and version, audited
 * in the caller's transaction. Each acceptance is its own row, so a second admin's adds a record.
 */
export async function recordBaaAcceptance(ctx: ServiceContext, input: { userId: string; signerName: string }): Promise<void> {
  const { db: tx, actor, clinicId } = ctx;
  const [row] = await tx
    .insert(baaAcceptances)
    .values({ clinicId, userId: input.userId, signerName: input.signerName, version: BAA_VERSION })
    .returning({ id: baaAcceptances.id, acceptedAt: baaAcceptances.acceptedAt });
  if (!row) throw new Error("BAA acceptance insert returned nothing");
  await auditBy(tx, actor, {
    clinicId,
    action: "clinic.baa_accept",
    targetType: "clinic",
    targetId: clinicId,
    after: { version: BAA_VERSION, signerName: input.signerName, userId: input.userId, acceptedAt: row.acceptedAt.toISOString() },
  });
}

/** Issue 19: a clinic admin accepts the agreement from the console, signing with their account's name. */
export async function acceptBaa(ctx: ServiceContext, input: z.output<typeof acceptBaaInput>): Promise<BaaStatus> {
  const { actor } = ctx;
  if (input.version !== BAA_VERSION) {
    throw new DomainError("conflict", `The agreement was updated (version ${BAA_VERSION}) while this page was open. Reload the page and read the new version.`, "version");
  }
  const userId = actorUserId(actor);
  if (!userId) throw new DomainError("refused", "Only a clinic admin can accept the agreement.");
  return withTransaction(ctx, async (txCtx) => {
    const [admin] = await txCtx.db
      .select({ firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.clinicId, txCtx.clinicId), eq(users.role, "admin")));
    if (!admin) throw new DomainError("refused", "Only a clinic admin can accept the agreement.");
    await recordBaaAcceptance(txCtx, { userId, signerName: signerName(admin) });
    return baaStatus(txCtx);
  });
}

export const signerName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`.trim();
