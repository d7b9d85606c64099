import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { roleEnum, users } from "./users";

export const STAFF_ROLES = ["staff", "admin"] as const;

/**
 * Rule C5: an admin's invitation to join the clinic's team. The link carries a random token;
 * only its SHA-256 is stored, so a leaked table grants nobody an account.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    /** Lower-cased; the account created on acceptance signs in with it. */
    email: text().notNull(),
    role: roleEnum().notNull(),
    tokenHash: text().notNull(),
    invitedById: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedUserId: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_unique").on(t.tokenHash),
    // One open invitation per address and clinic; a new one replaces the old in its transaction.
    uniqueIndex("invitations_one_open_per_email")
      .on(t.clinicId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("invitations_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("invitations_invited_by_idx").on(t.invitedById),
    index("invitations_accepted_user_idx").on(t.acceptedUserId),
    check("invitations_staff_role", sql`${t.role} in ('staff', 'admin')`),
    check("invitations_accepted_has_user", sql`(${t.acceptedAt} is null) = (${t.acceptedUserId} is null)`),
  ],
);

/**
 * Issue 19: the platform's Business Associate Agreement, accepted by a clinic's admin (name, time,
 * version). A clinic goes live only once one of its admins accepted the version in force.
 */
export const baaAcceptances = pgTable(
  "baa_acceptances",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The legal name the admin typed. */
    signerName: text().notNull(),
    version: text().notNull(),
    acceptedAt: createdAt(),
  },
  (t) => [index("baa_acceptances_clinic_idx").on(t.clinicId, t.acceptedAt), index("baa_acceptances_user_idx").on(t.userId)],
);
