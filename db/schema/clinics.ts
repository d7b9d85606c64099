import { boolean, customType, date, integer, pgTable, primaryKey, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";

/** Raw bytes; both drivers hand back a Buffer-like value, read as a Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });
import { programVersions } from "./program-versions";
import { createdAt, id, timestamps } from "./columns";

/** Every clinic starts in this zone until an admin changes it; the platform's default too. */
export const DEFAULT_TIME_ZONE = "America/New_York";

export const clinics = pgTable("clinics", {
  id: id(),
  name: text().notNull(),
  /** Public, human-readable handle used in sign-up links and attribution cookies. */
  slug: text().notNull().unique(),
  /** Rule N6: staff must use an authenticator app before the console opens. */
  staffTwoFactorRequired: boolean().notNull().default(false),
  /** Rule A6: the IANA zone whose local days and hours the clinic's runs and dashboard follow. */
  timeZone: text().notNull().default(DEFAULT_TIME_ZONE),
  /** Rule N7: SMS written between these local hours waits until the end hour (default 8 pm to 8 am). */
  quietHoursStart: integer().notNull().default(20),
  quietHoursEnd: integer().notNull().default(8),
  /** The staff channel's Slack incoming webhook (https://hooks.slack.com/ only), sealed: it is a credential. */
  slackWebhookSealed: text(),
  /** Rule A2: the share reminder goes once, this many days after a first paid visit; null sends none. */
  shareReminderDays: integer(),
  /** Issue 13, the clinic's profile: shown on its landing page, portal and emails. */
  brandColor: text(),
  addressLine: text().notNull().default(""),
  phone: text().notNull().default(""),
  website: text().notNull().default(""),
  /** The logo now in use (clinic_logos); a new upload is a new row, so its URL can be cached for ever. */
  logoId: uuid(),
  /** Issue 19: set when the practice signed itself up (/start-a-program); null when the platform added it. */
  selfSignedUpAt: timestamp({ withTimezone: true }),
  /** Issue 19: a self-signed-up clinic's messages a day to others in its first 30 days; the platform raises it. */
  sendingBudgetPerDay: integer().notNull().default(200),
  /** Issue 19: an admin vouched that the clinic's Slack workspace is covered by a BAA, so posts may name patients. */
  slackBaaCoveredAt: timestamp({ withTimezone: true }),
  ...timestamps,
});

/**
 * Issue 19: messages a self-signed-up clinic sent to others on one of its local days, counted
 * atomically against its sending budget by every instance (one row per clinic and day).
 */
export const clinicSendingDays = pgTable(
  "clinic_sending_days",
  {
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    sent: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.day] })],
);


/** Logos live in Postgres: instances keep no files. PNG, JPEG or WebP only, at most 1 MB (checked on upload). */
export const clinicLogos = pgTable("clinic_logos", {
  id: id(),
  clinicId: uuid()
    .notNull()
    .references(() => clinics.id, { onDelete: "cascade" }),
  contentType: text().notNull(),
  bytes: bytea().notNull(),
  createdAt: createdAt(),
});

/** One referral program per clinic: the switch (rule P1) and the terms now in force. */
export const programs = pgTable("programs", {
  clinicId: uuid()
    .primaryKey()
    .references(() => clinics.id, { onDelete: "cascade" }),
  enabled: boolean().notNull().default(true),
  /** Set in the transaction that creates the program; every settings change points it anew. */
  currentVersionId: uuid().references((): AnyPgColumn => programVersions.id),
  ...timestamps,
});
