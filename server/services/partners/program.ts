import { eq } from "drizzle-orm";
import { b2bProgram } from "@/db/schema";
import type { programSettingsInput } from "@/server/schemas/b2b";
import type { z } from "zod";
import { auditBy } from "@/server/kernel/audit";
import { type PlatformContext, type ServiceContext, withTransaction } from "@/server/kernel/context";

/**
 * The partner program's settings; the row is created by the migration with the B4 defaults.
 * The database alone: the public form reads its terms before anyone is known.
 */
export async function getB2bProgram(ctx: Pick<ServiceContext, "db">) {
  const [program] = await ctx.db.select().from(b2bProgram).where(eq(b2bProgram.id, 1));
  if (!program) throw new Error("b2b_program row is missing: run the migrations");
  return program;
}

/** Later submissions get the new terms; earlier ones keep theirs (rule B4, like P14). */
export async function updateB2bProgram(ctx: PlatformContext, input: z.infer<typeof programSettingsInput>) {
  return withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor } = txCtx;
    const before = await getB2bProgram(txCtx);
    const [program] = await tx.update(b2bProgram).set(input).where(eq(b2bProgram.id, 1)).returning();
    if (!program) throw new Error("b2b_program row is missing: run the migrations");
    await auditBy(tx, actor, { action: "b2b_program.update", targetType: "b2b_program", before, after: program });
    return program;
  });
}
