import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";
import { users } from "./users";

/**
 * Rule C4: every staff action and settings change, written in the transaction of the change.
 * The database refuses updates and deletes (migration ..._audit_guards).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    /** Null for platform-level actions. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    actorId: uuid()
      .notNull()
      .references(() => users.id),
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
  ],
);
