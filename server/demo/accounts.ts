import type { users } from "@/db/schema";

/** The demo's clinics and accounts, the ones README lists. Data only, so services may read it. */
export const DEMO_PASSWORD = "demo-password-1";

export type SeedUser = { email: string; role: (typeof users.$inferInsert)["role"]; firstName: string; lastName: string; phone?: string };

export const DEMO = {
  clinic: { name: "Maple Street Dental", slug: "maple-street" },
  users: [
    { email: "admin@demo.test", role: "admin", firstName: "Morgan", lastName: "Reyes" },
    { email: "staff@demo.test", role: "staff", firstName: "Sam", lastName: "Okafor" },
    { email: "patient@demo.test", role: "patient", firstName: "Alex", lastName: "Patel", phone: "15555550101" },
    { email: "patient2@demo.test", role: "patient", firstName: "Jordan", lastName: "Kim", phone: "15555550102" },
  ] satisfies SeedUser[],
  services: [
    { name: "Check-up and cleaning", description: "Exam, scale and polish", priceCents: 12000 },
    { name: "Teeth whitening", description: "In-office whitening session", priceCents: 25000 },
    { name: "Dental X-rays", description: "Full-mouth digital X-rays", priceCents: 6000 },
    { name: "Emergency visit", description: "Same-day appointment for pain or injury", priceCents: 9500 },
  ],
};

export const SECOND = {
  clinic: { name: "Harbor Physiotherapy", slug: "harbor-physio" },
  users: [
    { email: "admin@second.test", role: "admin", firstName: "Riley", lastName: "Chen" },
    { email: "patient@second.test", role: "patient", firstName: "Casey", lastName: "Novak", phone: "15555550201" },
  ] satisfies SeedUser[],
  services: [{ name: "Physiotherapy session", description: "45-minute treatment", priceCents: 8500 }],
};

export const PLATFORM_ADMIN = { email: "platform@demo.test", role: "platform_admin", firstName: "Avery", lastName: "Lund" } satisfies SeedUser;

/** Every account the demo seed makes, all with the published DEMO_PASSWORD (item 20: their presence shows a banner). */
export const DEMO_EMAILS: readonly string[] = [...DEMO.users, ...SECOND.users, PLATFORM_ADMIN].map((u) => u.email);

