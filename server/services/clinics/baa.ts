import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { baaAcceptances, users } from "@/db/schema";
import { type Actor, actorUserId } from "@/server/events/actor";
import { type acceptBaaInput, BAA_VERSION, type BaaStatus } from "@/server/schemas/baa";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";

/** Issue 19: whether an admin of the clinic accepted the agreement's version in force. */
export async function hasAcceptedBaa(db: Db, clinicId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: baaAcceptances.id })
    .from(baaAcceptances)
    .where(and(eq(baaAcceptances.clinicId, clinicId), eq(baaAcceptances.version, BAA_VERSION)))
    .limit(1);
  return !!row;
}

/** The version in force and the clinic's latest acceptance of any version. */
export async function baaStatus(db: Db, clinicId: string): Promise<BaaStatus> {
  const [row] = await db
    .select({ signerName: baaAcceptances.signerName, acceptedAt: baaAcceptances.acceptedAt, version: baaAcceptances.version })
    .from(baaAcceptances)
    .where(eq(baaAcceptances.clinicId, clinicId))
    .orderBy(desc(baaAcceptances.version), desc(baaAcceptances.acceptedAt))
    .limit(1);
  return { version: BAA_VERSION, accepted: row ?? null };
}

/**
 * Issue 19: an admin accepts the version in force for their clinic: name, time and version, audited
 * in the caller's transaction. Each acceptance is its own row, so a second admin's adds a record.
 */
export async function recordBaaAcceptance(tx: Db, actor: Actor, input: { clinicId: string; userId: string; signerName: string }): Promise<void> {
  const [row] = await tx
    .insert(baaAcceptances)
    .values({ clinicId: input.clinicId, userId: input.userId, signerName: input.signerName, version: BAA_VERSION })
    .returning({ id: baaAcceptances.id, acceptedAt: baaAcceptances.acceptedAt });
  if (!row) throw new Error("BAA acceptance insert returned nothing");
  await auditBy(tx, actor, {
    clinicId: input.clinicId,
    action: "clinic.baa_accept",
    targetType: "clinic",
    targetId: input.clinicId,
    after: { version: BAA_VERSION, signerName: input.signerName, userId: input.userId, acceptedAt: row.acceptedAt.toISOString() },
  });
}

/** Issue 19: a clinic admin accepts the agreement from the console, signing with their account's name. */
export async function acceptBaa(db: Db, actor: Actor, input: z.output<typeof acceptBaaInput> & { clinicId: string }): Promise<BaaStatus> {
  if (input.version !== BAA_VERSION) {
    throw new DomainError("conflict", `The agreement was updated (version ${BAA_VERSION}) while this page was open. Reload the page and read the new version.`, "version");
  }
  const userId = actorUserId(actor);
  if (!userId) throw new DomainError("refused", "Only a clinic admin can accept the agreement.");
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.clinicId, input.clinicId), eq(users.role, "admin")));
    if (!admin) throw new DomainError("refused", "Only a clinic admin can accept the agreement.");
    await recordBaaAcceptance(tx, actor, { clinicId: input.clinicId, userId, signerName: signerName(admin) });
    return baaStatus(tx, input.clinicId);
  });
}

export const signerName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`.trim();
