import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { actorKindEnum } from "./domain-events";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { users } from "./users";

/**
 * Rule C4: every staff action and settings change, written in the transaction of the change.
 * The database refuses updates and deletes (migration ..._audit_guards), with one exception
 * (issue 19, migration 0024): a patient's erasure (rule N3), in a transaction that ran
 * `set_config('app.erasure', 'on', true)`, may set reason to '[erased]' and redact before/after.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    /** Null for platform-level actions. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    /** Rule C4: a person, a job, an inbound event or an API key acted. */
    actorKind: actorKindEnum().notNull().default("staff"),
    /** The user, for staff and patients. */
    actorId: uuid().references(() => users.id),
    /** The job's name, "provider:event id" or the API key's id, for the other kinds. */
    actorLabel: text(),
    /** What was done, e.g. "program.update", "credit.adjust", "patient.view". */
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: uuid(),
    reason: text(),
    before: jsonb().$type<unknown>(),
    after: jsonb().$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [
    // Matches the viewer's keyset order (created_at, id), walked backwards for newest-first.
    index("audit_log_clinic_time_idx").on(t.clinicId, t.createdAt, t.id),
    index("audit_log_actor_idx").on(t.actorId),
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    check("audit_log_actor_named", sql`(${t.actorKind} in ('staff', 'patient')) = (${t.actorId} is not null) and (${t.actorId} is not null or ${t.actorLabel} is not null)`),
  ],
);
