import { boolean, date, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, check } from "drizzle-orm/pg-core";
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
    /**
     * Lower-cased sign-in address. Rule N6: one account per email per clinic (a patient may hold
     * accounts at several clinics), and a staff, admin or platform account's email is unique among
     * all non-patient accounts; so a staff member may be a patient of another clinic, not of their own.
     */
    email: text().notNull(),
    /** Mailbox identity used for self-referral checks (rule P6): no +tags, no Gmail dots. */
    emailNormalized: text().notNull(),
    /** Digits only, with country code, or null when no phone was given. */
    phoneNormalized: text(),
    /** The clinic's own id for the patient (its practice-management system), set through the API. */
    externalId: text(),
    firstName: text().notNull(),
    lastName: text().notNull(),
    passwordHash: text(),
    /** Care paid by a government program: rewards stay under the nominal-value caps. */
    governmentPayer: boolean().notNull().default(false),
    /** An imported patient's first visit, as the clinic's records give it (rule P6: an existing patient). */
    patientSince: date({ mode: "string" }),
    disabledAt: timestamp({ withTimezone: true }),
    /** Set by the demo seed only: published passwords, exempt from the platform's second-factor rule (N6). */
    demoAccount: boolean().notNull().default(false),
    /** Set when the owner opened the verification link (or for demo accounts); the portal works before it. */
    emailVerifiedAt: timestamp({ withTimezone: true }),
    /** Rule N7: the patient ticked the SMS opt-in; when, and the wording they saw. Imported numbers carry none. */
    smsOptInAt: timestamp({ withTimezone: true }),
    smsOptInWording: text(),
    /** Rule A2: marketing messages (the share reminder) need the patient's opt-in. */
    marketingOptInAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_clinic_email_unique").on(t.clinicId, t.email),
    uniqueIndex("users_member_email_unique").on(t.email).where(sql`${t.role} <> 'patient'`),
    index("users_email_idx").on(t.email),
    index("users_clinic_idx").on(t.clinicId, t.role),
    index("users_clinic_email_norm_idx").on(t.clinicId, t.emailNormalized),
    index("users_clinic_phone_idx").on(t.clinicId, t.phoneNormalized),
    uniqueIndex("users_clinic_external_id_unique").on(t.clinicId, t.externalId).where(sql`${t.externalId} is not null`),
    check(
      "users_clinic_matches_role",
      sql`(${t.role} = 'platform_admin') = (${t.clinicId} is null)`,
    ),
  ],
);

/**
 * Rule N6: one row per failed (or still unresolved) sign-in, kept 15 minutes' worth at a time.
 * Keyed by hashes of the typed email and of the network, never by account id, so an unknown email
 * is throttled exactly like a known one and the table tells no one which emails have accounts.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: id(),
    emailKey: text().notNull(),
    /** Null when the caller's address is unknown (no trusted proxy). */
    networkKey: text(),
    failedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_failures_email_idx").on(t.emailKey, t.failedAt), index("sign_in_failures_network_idx").on(t.networkKey, t.failedAt), index("sign_in_failures_time_idx").on(t.failedAt)],
);
