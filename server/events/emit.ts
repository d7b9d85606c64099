import type { Db } from "@/db/client";
import { domainEvents } from "@/db/schema";
import { enqueueForEvent, enqueueForEvents } from "@/server/queue/boss";
import type { EventQueueName } from "@/server/queue/names";
import { type Actor, actorLabel } from "./actor";
import { type DomainEvent, domainEventSchema } from "./catalog";
import { type EmitNote, project } from "./projections";
import { subscribersOf } from "./subscriptions";

export type EmittedEvent = DomainEvent & {
  /** The clinic the event belongs to; null for the platform's partner program. */
  clinicId: string | null;
};

/**
 * Rules A1, C2: records a domain event in the caller's transaction, writes its read models (the
 * activity row, the partner timeline row) and enqueues what it sets off, so the change, its
 * event and its consequences commit or roll back together. `note` carries a staff member's
 * reason to the read models only, never into the payload (rule N3).
 */
export async function emit(tx: Db, actor: Actor, event: EmittedEvent, note?: EmitNote): Promise<string> {
  const parsed = domainEventSchema.parse(event);
  const [row] = await tx
    .insert(domainEvents)
    .values({ clinicId: event.clinicId, type: parsed.type, version: parsed.version, actorKind: actor.kind, actorId: actorLabel(actor) ?? actor.id, data: parsed.data })
    .returning({ id: domainEvents.id });
  if (!row) throw new Error("the event was not recorded");
  await project(tx, actor, [{ eventId: row.id, clinicId: event.clinicId, event: parsed, note }]);
  for (const queue of subscribersOf(parsed.type)) await enqueueForEvent(tx, queue, { clinicId: event.clinicId, eventId: row.id });
  return row.id;
}

/**
 * Many events of one change at once (an import's batch): the same rows, read models and jobs as
 * one `emit` each, written as one insert per table and one per queue.
 */
export async function emitMany(tx: Db, actor: Actor, events: EmittedEvent[]): Promise<void> {
  if (!events.length) return;
  const parsed = events.map((event) => ({ clinicId: event.clinicId, event: domainEventSchema.parse(event) }));
  const rows = await tx
    .insert(domainEvents)
    .values(parsed.map(({ clinicId, event }) => ({ clinicId, type: event.type, version: event.version, actorKind: actor.kind, actorId: actorLabel(actor) ?? actor.id, data: event.data })))
    .returning({ id: domainEvents.id });
  const recorded = rows.map((row, i) => ({ eventId: row.id, ...(parsed[i] as (typeof parsed)[number]) }));
  await project(tx, actor, recorded);
  const jobs = new Map<EventQueueName, { clinicId: string | null; eventId: string }[]>();
  for (const { eventId, clinicId, event } of recorded) {
    for (const queue of subscribersOf(event.type)) {
      const waiting = jobs.get(queue) ?? [];
      waiting.push({ clinicId, eventId });
      jobs.set(queue, waiting);
    }
  }
  for (const [queue, items] of jobs) await enqueueForEvents(tx, queue, items);
}
