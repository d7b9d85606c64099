import { boolean, integer, pgTable, text, uuid, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, timestamps } from "./columns";

export const clinics = pgTable("clinics", {
  id: id(),
  name: text().notNull(),
  /** Public, human-readable handle used in sign-up links and attribution cookies. */
  slug: text().notNull().unique(),
  ...timestamps,
});

/** One referral program per clinic (SPEC "Patient referral program (one per clinic)"). */
export const programs = pgTable(
  "programs",
  {
    clinicId: uuid()
      .primaryKey()
      .references(() => clinics.id, { onDelete: "cascade" }),
    enabled: boolean().notNull().default(true),
    referrerRewardCents: integer().notNull().default(5000),
    refereeRewardCents: integer().notNull().default(3000),
    attributionWindowDays: integer().notNull().default(30),
    learnMoreUrl: text(),
    ...timestamps,
  },
  (t) => [
    check("programs_reward_amounts_valid", sql`${t.referrerRewardCents} >= 0 and ${t.refereeRewardCents} >= 0`),
    check("programs_window_valid", sql`${t.attributionWindowDays} between 1 and 365`),
  ],
);
