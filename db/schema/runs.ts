import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { id } from "./columns";

export const RUN_NAMES = ["reconcile", "daily", "weekly", "monthly"] as const;
export type RunName = (typeof RUN_NAMES)[number];
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runNameEnum = pgEnum("run_name", RUN_NAMES);
export const runStatusEnum = pgEnum("run_status", RUN_STATUSES);

/**
 * Rule A6: one row per scheduled run and period, for a clinic or (clinic null) the platform.
 * The unique (name, scope, period) is what makes a second run of a period do nothing,
 * whichever instance fires it; a failed run keeps its row and is taken again by its retry.
 */
export const scheduledRuns = pgTable(
  "scheduled_runs",
  {
    id: id(),
    name: runNameEnum().notNull(),
    /** Null: the platform's own run. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    /** "2026-12-01" (daily), "2026-W49" (weekly, ISO), "2026-11" (monthly), "2026-12-01T12:35Z" (a 5-minute slot). */
    period: text().notNull(),
    status: runStatusEnum().notNull().default("queued"),
    attempts: integer().notNull().default(0),
    /** The queue job (or the hand run) working it now, so only that one finishes it. */
    runnerId: uuid(),
    /** What went wrong last: the step and the error's kind, never its message (rule N3). */
    lastError: text(),
    /** Counts the steps reported (rewards expired, reminders queued...). */
    result: jsonb().$type<Record<string, number>>(),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("scheduled_runs_once").on(t.name, t.clinicId, t.period).nullsNotDistinct(),
    index("scheduled_runs_clinic_idx").on(t.clinicId, t.queuedAt),
  ],
);
