import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { b2bProgram } from "@/db/schema";
import type { programSettingsInput } from "@/server/schemas/b2b";
import type { z } from "zod";
import type { Actor } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";

/** The partner program's settings; the row is created by the migration with the B4 defaults. */
export async function getB2bProgram(db: Db) {
  const [program] = await db.select().from(b2bProgram).where(eq(b2bProgram.id, 1));
  if (!program) throw new Error("b2b_program row is missing: run the migrations");
  return program;
}

/** Later submissions get the new terms; earlier ones keep theirs (rule B4, like P14). */
export async function updateB2bProgram(db: Db, input: z.infer<typeof programSettingsInput>, actor: Actor) {
  return db.transaction(async (tx) => {
    const before = await getB2bProgram(tx);
    const [program] = await tx.update(b2bProgram).set(input).where(eq(b2bProgram.id, 1)).returning();
    if (!program) throw new Error("b2b_program row is missing: run the migrations");
    await auditBy(tx, actor, { action: "b2b_program.update", targetType: "b2b_program", before, after: program });
    return program;
  });
}
