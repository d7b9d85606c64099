import type { EventQueueName } from "@/server/queue/names";
import type { EventType } from "./catalog";

/**
 * What each domain event sets off: the queues that get one job per event, worked once the
 * event's transaction committed. Clicks are not domain events and set off nothing.
 */
const SUBSCRIPTIONS: { [T in EventType]?: readonly EventQueueName[] } = {
  // Rule A2: the messages events set off (server/services/messages/compose.ts).
  "referral.created": ["messages.events"],
  "referral.flagged": ["messages.events"],
  "reward.released": ["messages.events"],
  "reward.expiring": ["messages.events"],
  "order.paid": ["messages.events"],
  "b2b.submission.created": ["messages.events"],
  "payout.approved": ["messages.events"],
  "webhook.disabled": ["messages.events"],
};

/** Queues that receive every event: rule A4's outgoing webhooks, which match endpoints to events themselves. */
const EVERY_EVENT: readonly EventQueueName[] = ["webhooks.fanout"];

export function subscribersOf(type: EventType): readonly EventQueueName[] {
  return [...(SUBSCRIPTIONS[type] ?? []), ...EVERY_EVENT];
}
