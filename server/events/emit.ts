import type { Db } from "@/db/client";
import { domainEvents } from "@/db/schema";
import { enqueueForEvent } from "@/server/jobs/boss";
import { type Actor, actorLabel } from "./actor";
import { type DomainEvent, domainEventSchema } from "./catalog";
import { subscribersOf } from "./subscriptions";

export type EmittedEvent = DomainEvent & {
  /** The clinic the event belongs to; null for the platform's partner program. */
  clinicId: string | null;
};

/**
 * Rules A1, C2: records a domain event in the caller's transaction and enqueues what it sets
 * off, so the change, its event and its consequences commit or roll back together.
 */
export async function emit(tx: Db, actor: Actor, event: EmittedEvent): Promise<string> {
  const { type, version, data } = domainEventSchema.parse(event);
  const [row] = await tx
    .insert(domainEvents)
    .values({ clinicId: event.clinicId, type, version, actorKind: actor.kind, actorId: actorLabel(actor) ?? actor.id, data })
    .returning({ id: domainEvents.id });
  if (!row) throw new Error("the event was not recorded");
  for (const queue of subscribersOf(type)) await enqueueForEvent(tx, queue, { clinicId: event.clinicId, eventId: row.id });
  return row.id;
}
