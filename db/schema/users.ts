import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { id, timestamps } from "./columns";

export const ROLES = ["patient", "staff", "admin", "platform_admin"] as const;
export const roleEnum = pgEnum("role", ROLES);

export const users = pgTable(
  "users",
  {
    id: id(),
    /** Null only for platform admins, who belong to no clinic (rule N1). */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    /** Lower-cased sign-in address; unique across the platform. */
    email: text().notNull(),
    /** Mailbox identity used for self-referral checks (rule P6): no +tags, no Gmail dots. */
    emailNormalized: text().notNull(),
    /** Digits only, with country code, or null when no phone was given. */
    phoneNormalized: text(),
    firstName: text().notNull(),
    lastName: text().notNull(),
    passwordHash: text(),
    /** Care paid by a government program: rewards stay under the nominal-value caps. */
    governmentPayer: boolean().notNull().default(false),
    disabledAt: timestamp({ withTimezone: true }),
    /** Set by the demo seed only: published passwords, exempt from the platform's second-factor rule (N6). */
    demoAccount: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_clinic_idx").on(t.clinicId, t.role),
    index("users_clinic_email_norm_idx").on(t.clinicId, t.emailNormalized),
    index("users_clinic_phone_idx").on(t.clinicId, t.phoneNormalized),
    check(
      "users_clinic_matches_role",
      sql`(${t.role} = 'platform_admin') = (${t.clinicId} is null)`,
    ),
  ],
);
