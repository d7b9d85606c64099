/**
 * Who did something, passed to every service that changes data: a person, a job, an inbound
 * event or an API key. The audit log and the event log record each kind (rule C4), so a job
 * or a webhook is accountable like a person.
 */
export type Actor =
  | { kind: "staff"; id: string; clinicId: string | null }
  | { kind: "patient"; id: string; clinicId: string }
  | { kind: "system"; id: string; clinicId: string | null }
  | { kind: "webhook"; id: string; provider: string; clinicId: string | null }
  | { kind: "apiKey"; id: string; clinicId: string | null };

import { ACTOR_KINDS as STORED_ACTOR_KINDS } from "@/db/schema/domain-events";

export type ActorKind = Actor["kind"];
/** The stored enum (db/schema/domain-events.ts), checked here against the type. */
export const ACTOR_KINDS = STORED_ACTOR_KINDS satisfies readonly ActorKind[];

export const staffActor = (userId: string, clinicId: string | null): Actor => ({ kind: "staff", id: userId, clinicId });
export const patientActor = (userId: string, clinicId: string): Actor => ({ kind: "patient", id: userId, clinicId });
/** A scheduled or queued job, named as its queue is, e.g. "daily.clinic". */
export const systemActor = (job: string, clinicId: string | null = null): Actor => ({ kind: "system", id: job, clinicId });
export const webhookActor = (provider: string, eventId: string, clinicId: string | null): Actor => ({ kind: "webhook", id: eventId, provider, clinicId });
export const apiKeyActor = (keyId: string, clinicId: string | null): Actor => ({ kind: "apiKey", id: keyId, clinicId });

/** The user behind the actor, when it is a person. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === "staff" || actor.kind === "patient" ? actor.id : null;
}

/** How the actor is named where it is not a user: the job, "provider:event id", or the key id. */
export function actorLabel(actor: Actor): string | null {
  switch (actor.kind) {
    case "staff":
    case "patient":
      return null;
    case "webhook":
      return `${actor.provider}:${actor.id}`;
    default:
      return actor.id;
  }
}
