import { DEFAULT_TIME_ZONE } from "@/server/schemas/time-zone";
import { boolean, integer, pgTable, text, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { programVersions } from "./program-versions";
import { id, timestamps } from "./columns";

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
  ...timestamps,
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
