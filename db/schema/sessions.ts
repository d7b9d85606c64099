import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users } from "./users";

/** Rule N6: one row per signed-in browser; the session token names it, every call checks it. */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Coarse, from the user agent ("Chrome on macOS"); never the raw header. */
    device: text().notNull(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId, t.endedAt)],
);

/** Rule N6: an authenticator app (TOTP) for staff and platform admins; on once confirmed. */
export const twoFactorSecrets = pgTable("two_factor_secrets", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Sealed with the app's AES helper: a database dump alone gives no codes. */
  secretSealed: text().notNull(),
  confirmedAt: timestamp({ withTimezone: true }),
  /** The last accepted 30-second step: a code is accepted once. */
  lastStep: integer(),
  /** Wrong codes since the last right one: guessing slows down (only someone with the password gets this far). */
  failedCodes: integer().notNull().default(0),
  lastFailedAt: timestamp({ withTimezone: true }),
  createdAt: createdAt(),
});

/** Ten single-use codes per enrolment, stored as SHA-256 of 80 random bits. */
export const recoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("two_factor_recovery_codes_unique").on(t.userId, t.codeHash)],
);
