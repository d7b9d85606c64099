import { and, eq, gt } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { clinics, programs, users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { staffActor } from "@/server/events/actor";
import { sendAccountEmail, sendVerificationEmail } from "@/server/auth/account-links";
import type { createClinicInput, StartProgramInput } from "@/server/schemas/clinic-onboarding";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type PlatformContext, type ServiceContext } from "@/server/kernel/context";
import { recordBaaAcceptance, signerName } from "./baa";
import { appUrl } from "@/server/kernel/app-url";
import { DomainError } from "@/server/kernel/errors";
import { normalizeEmail } from "@/server/kernel/contact";
import { requireAcceptedBaa } from "@/server/services/programs/going-live";
import { inviteMember } from "./invitations";
import { createProgram } from "@/server/services/programs/programs";

type NewClinic = { name: string; slug: string; timeZone: string; selfSignedUpAt?: Date };

/**
 * The clinic and its program, paused (rule P1) with the default terms, in the caller's transaction.
 * A taken address is a conflict decided by the database's unique index, so two requests racing
 * for one slug get one clinic.
 */
async function openClinic(tx: Db, input: NewClinic): Promise<string> {
  const [clinic] = await tx.insert(clinics).values(input).onConflictDoNothing({ target: clinics.slug }).returning({ id: clinics.id });
  if (!clinic) throw new DomainError("conflict", `The address "${input.slug}" is taken by another clinic. Choose another.`, "slug");
  await createProgram({ db: tx, clinicId: clinic.id });
  await tx.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
  return clinic.id;
}

/**
 * Issue 13: a platform admin adds a clinic; its first admin is invited by email, all in one
 * transaction. The platform's context: the clinic does not exist until this makes it.
 */
export async function createClinic(ctx: PlatformContext, input: z.output<typeof createClinicInput>): Promise<{ clinicId: string }> {
  return withTransaction(ctx, async ({ db: tx, actor }) => {
    const clinicId = await openClinic(tx, { name: input.name, slug: input.slug, timeZone: input.timeZone });
    await auditBy(tx, actor, { clinicId, action: "clinic.create", targetType: "clinic", targetId: clinicId, after: { name: input.name, slug: input.slug, timeZone: input.timeZone } });
    await inviteMember({ db: tx, actor, clinicId }, { email: input.adminEmail, role: "admin" });
    return { clinicId };
  });
}

/** The address already had a team account: the sign-up's transaction is undone by this. */
class AddressTaken extends Error {}

/** A repeat of a sign-up that just went through (a double click, a resent form) answers like the first. */
const REPEAT_WINDOW_MS = 60 * 60 * 1000;

export type StartProgramOutcome = "created" | "repeated" | "address_taken";

/**
 * Issue 13: a practice signs itself up: the clinic, its program paused with the default terms,
 * its first admin (email not yet confirmed, so the program cannot go live, see going-live.ts),
 * the audit entry, its acceptance of the BAA (issue 19) and the verification email, in one transaction. A taken slug is a conflict.
 * Rule N6: an address that already has a team account (unique among them) gets the same answer
 * after the same work, nothing is made, and its owner is told by email instead. The same form
 * sent twice makes one clinic: the unique slug decides, and the second learns it was its own
 * sign-up by the password opening that clinic's new admin account.
 * A public door, before any clinic or account exists: only the database.
 */
export async function startProgram(ctx: { db: Db }, input: StartProgramInput & { now?: Date }): Promise<{ outcome: StartProgramOutcome }> {
  const { db } = ctx;
  const now = input.now ?? new Date();
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    // Its own transaction (a savepoint inside a caller's), not a joined one: AddressTaken must undo exactly this work.
    await db.transaction(async (tx) => {
      // Issue 19: a practice that signed itself up gets a daily sending budget for its first 30 days.
      const clinicId = await openClinic(tx, { name: input.practiceName, slug: input.slug, timeZone: input.timeZone, selfSignedUpAt: now });
      const [admin] = await tx
        .insert(users)
        .values({ clinicId, role: "admin", email, emailNormalized: normalizeEmail(email), firstName: input.firstName, lastName: input.lastName, passwordHash })
        // users_member_email_unique: a team address is one account among all non-patient ones, decided by the database.
        .onConflictDoNothing()
        .returning({ id: users.id, email: users.email, firstName: users.firstName, clinicId: users.clinicId });
      if (!admin) throw new AddressTaken();
      await auditBy(tx, staffActor(admin.id, clinicId), {
        clinicId,
        action: "clinic.create",
        targetType: "clinic",
        targetId: clinicId,
        after: { name: input.practiceName, slug: input.slug, timeZone: input.timeZone, adminId: admin.id, source: "self_sign_up" },
      });
      await recordBaaAcceptance({ db: tx, actor: staffActor(admin.id, clinicId), clinicId }, { userId: admin.id, signerName: signerName(input) });
      await sendVerificationEmail(tx, admin, now);
    });
    return { outcome: "created" };
  } catch (error) {
    if (error instanceof AddressTaken) {
      await withTransaction(ctx, ({ db: tx }) =>
        sendAccountEmail(tx, { kind: "account.program_sign_up_existing", to: { id: null, email, firstName: "", clinicId: null }, vars: { practice_name: input.practiceName, sign_in_link: appUrl("/signin") } }),
      );
      return { outcome: "address_taken" };
    }
    if (error instanceof DomainError && error.kind === "conflict" && (await isRepeat(db, input, now))) return { outcome: "repeated" };
    throw error;
  }
}

/** The slug's clinic was made within the hour with this email as its admin, and this password opens that account. */
async function isRepeat(db: Db, input: StartProgramInput, now: Date): Promise<boolean> {
  const [admin] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(clinics, eq(clinics.id, users.clinicId))
    .where(and(eq(clinics.slug, input.slug), eq(users.email, input.email.toLowerCase()), eq(users.role, "admin"), gt(clinics.createdAt, new Date(now.getTime() - REPEAT_WINDOW_MS))));
  if (!admin?.passwordHash) return false;
  return (await verifyPassword(input.password, admin.passwordHash)).ok;
}

/**
 * Issue 13, rule P1: a platform admin pauses (or resumes) a clinic's referral program: no new
 * referrals while paused; what was earned stays. Audited in the clinic's log. Resuming is the
 * platform's own decision and is not held to a confirmed admin address (going-live.ts): a
 * platform admin may have checked the practice another way, and the entry names who did it.
 * `ctx.clinicId` is the clinic acted on (the platform router puts the chosen one there).
 */
export async function setClinicPaused(ctx: ServiceContext, input: { paused: boolean }): Promise<{ paused: boolean }> {
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [program] = await tx.update(programs).set({ enabled: !input.paused }).where(eq(programs.clinicId, clinicId)).returning({ enabled: programs.enabled });
    if (!program) throw new DomainError("not_found", "That clinic was not found.");
    if (!input.paused) await requireAcceptedBaa({ db: tx, actor, clinicId });
    await auditBy(tx, actor, { clinicId, action: input.paused ? "clinic.pause" : "clinic.resume", targetType: "clinic", targetId: clinicId });
    return { paused: !program.enabled };
  });
}
