import { eq } from "drizzle-orm";
import { hashPassword } from "@/server/auth/password";
import { staffActor, systemActor } from "@/server/events/actor";
import { createPatient } from "@/server/services/patients/create";
import { normalizeEmail } from "@/server/kernel/contact";
import type { Db } from "@/db/client";
import { atTime, clockNow } from "@/server/kernel/clock";
import { storyStart, tellDemoStory } from "./story";
import { DEMO, DEMO_PASSWORD, PLATFORM_ADMIN, SECOND, type SeedUser } from "./accounts";
import { namePostalKey } from "@/server/services/partners/identity";
import { recordBaaAcceptance, signerName } from "@/server/services/clinics/baa";
import { createProgram } from "@/server/services/programs/programs";
import { b2bCustomers, b2bProgram, b2bProspects, clinics, services, users } from "@/db/schema";

/**
 * The demo data README lists. Safe to run again: an existing demo clinic is left alone. With
 * `story`, the demo clinic also gets its last 90 days (server/demo/story.ts): the app's first
 * start and `npm run db:seed` tell it; tests start from the quiet clinics.
 */
export async function seedDemo(db: Db, { onlyIfEmpty = false, story = false } = {}): Promise<"seeded" | "skipped"> {
  if (onlyIfEmpty) {
    const [any] = await db.select({ id: clinics.id }).from(clinics).limit(1);
    if (any) return "skipped";
  }
  const [existing] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, DEMO.clinic.slug));
  if (existing) return "skipped";

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seed = async (tx: Db) => {
    for (const spec of [DEMO, SECOND]) {
      const [clinic] = await tx.insert(clinics).values(spec.clinic).returning();
      if (!clinic) throw new Error("clinic insert returned nothing");
      await createProgram({ db: tx, clinicId: clinic.id });
      await tx.insert(services).values(spec.services.map((s) => ({ ...s, clinicId: clinic.id })));
      for (const u of spec.users) {
        const user = await insertUser(tx, { ...u, clinicId: clinic.id, passwordHash });
        // Issue 19: the demo clinics' admins accepted the BAA in force, so the demo stays live.
        if (user && u.role === "admin") await recordBaaAcceptance({ db: tx, actor: staffActor(user.id, clinic.id), clinicId: clinic.id }, { userId: user.id, signerName: signerName(u) });
      }
    }
    await insertUser(tx, { ...PLATFORM_ADMIN, clinicId: null, passwordHash });
    await seedB2bDemo(tx);
  };
  await db.transaction(async (tx) => {
    if (!story) return seed(tx);
    // With its history, the demo joined the day before the story starts.
    const today = new Date();
    await atTime(tx, new Date(storyStart(today).getTime() - 24 * 3_600_000), seed);
    await tellDemoStory(tx, { today });
  });
  return "seeded";
}

async function insertUser(tx: Db, u: SeedUser & { clinicId: string | null; passwordHash: string }) {
  // Rule P2: a patient has a code from the moment the account exists, seeded ones included.
  if (u.role === "patient" && u.clinicId) {
    const created = await createPatient(
      { db: tx, actor: systemActor("seed", u.clinicId), clinicId: u.clinicId },
      { source: "seed", patient: { ...u, passwordHash: u.passwordHash, demo: true } },
    );
    return created?.patient;
  }
  const [user] = await tx
    .insert(users)
    .values({
      clinicId: u.clinicId,
      role: u.role,
      email: u.email,
      emailNormalized: normalizeEmail(u.email),
      phoneNormalized: u.phone ?? null,
      firstName: u.firstName,
      lastName: u.lastName,
      passwordHash: u.passwordHash,
      demoAccount: true,
      emailVerifiedAt: clockNow,
    })
    .returning();
  return user;
}

/** The partner program's demo: both demo clinics as customers, two prospects, the B4 default plan. */
async function seedB2bDemo(tx: Db) {
  const clinicIds = Object.fromEntries((await tx.select({ id: clinics.id, slug: clinics.slug }).from(clinics)).map((c) => [c.slug, c.id]));
  await tx.update(b2bProgram).set({ rewardPlan: "recurring_share", shareBasisPoints: 1_000, shareMonths: 24, flatCreditCents: 50_000, audience: "anyone" });
  await tx.insert(b2bCustomers).values([
    { name: DEMO.clinic.name, clinicId: clinicIds[DEMO.clinic.slug] ?? null, domain: "maplestreetdental.example", phoneE164: "+12125550100", postalCode: "10001", country: "US", namePostalKey: namePostalKey(DEMO.clinic.name, "10001", "US"), billingCycle: "monthly", nextBillingDate: "2026-12-01" },
    { name: SECOND.clinic.name, clinicId: clinicIds[SECOND.clinic.slug] ?? null, domain: "harborphysio.example", phoneE164: "+16045550100", postalCode: "V6B 1A1", country: "CA", namePostalKey: namePostalKey(SECOND.clinic.name, "V6B 1A1", "CA"), billingCycle: "annual", renewalDate: "2027-03-01" },
    { name: "Cedar Grove Family Dentistry", domain: "cedargrovedental.example", postalCode: "97201", country: "US", namePostalKey: namePostalKey("Cedar Grove Family Dentistry", "97201", "US"), status: "former" },
  ]);
  await tx.insert(b2bProspects).values([
    { name: "Riverside Orthodontics", domain: "riversideortho.example", phoneE164: "+13125550177", postalCode: "60601", country: "US", namePostalKey: namePostalKey("Riverside Orthodontics", "60601", "US"), owner: "Jamie (sales)" },
    { name: "Lakeshore Physio", domain: "lakeshorephysio.example", postalCode: "M5V 2T6", country: "CA", namePostalKey: namePostalKey("Lakeshore Physio", "M5V 2T6", "CA"), owner: "Jamie (sales)" },
  ]);
}
