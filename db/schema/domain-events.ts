import { index, integer, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id } from "./columns";

/** Who can act (server/events/actor.ts types each kind); the database owns the list. */
export const ACTOR_KINDS = ["staff", "patient", "system", "webhook", "apiKey"] as const;
export const actorKindEnum = pgEnum("actor_kind", ACTOR_KINDS);

/**
 * Every domain event, as `emit` wrote it in the transaction of the change (rules A1, C2): the
 * catalog's type and version, who acted, and a payload of ids, statuses and amounts (N3).
 * Append-only; what an event sets off is enqueued beside it.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: id(),
    /** Null for the platform's own (partner program) events. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "cascade" }),
    type: text().notNull(),
    version: integer().notNull(),
    actorKind: actorKindEnum().notNull(),
    /** A user id, a job name, a provider's event id or an API key id, by kind. */
    actorId: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("domain_events_clinic_time_idx").on(t.clinicId, t.createdAt, t.id),
    index("domain_events_type_time_idx").on(t.type, t.createdAt),
    index("domain_events_platform_time_idx").on(t.createdAt).where(sql`${t.clinicId} is null`),
  ],
);
