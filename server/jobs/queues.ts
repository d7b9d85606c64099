import { z } from "zod";

/**
 * Every queue the app works, with its payload schema and retry policy. Payloads are ids and
 * periods, never personal data (rule N3), and name the clinic they belong to so the console
 * lists a clinic's failed jobs to that clinic alone (rule N1); `null` is the platform's.
 */
type QueuePolicy = {
  /** Attempts after the first; pg-boss doubles the delay each time, with jitter. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job still active after this long is taken to have died with its worker and is retried (A3). */
  expireInSeconds: number;
  /** Jobs fetched at once by one worker, worked side by side, each completed or failed on its own. */
  batchSize: number;
};

const clinicScoped = { clinicId: z.uuid().nullable() };

function queue<S extends z.ZodRawShape>(data: S, policy: Partial<QueuePolicy> = {}) {
  return { schema: z.strictObject({ ...clinicScoped, ...data }), policy: { retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: 30, batchSize: 1, ...policy } };
}

/** A queue that a domain event sets off (server/events/subscriptions.ts): its job names the event. */
const eventQueue = (policy: Partial<QueuePolicy> = {}) => queue({ eventId: z.uuid() }, policy);

const period = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/);

export const QUEUES = {
  /** Rule A6: one clinic's daily or weekly run for one local period. */
  "runs.clinic": queue({ run: z.enum(["daily", "weekly"]), period }, { expireInSeconds: 300 }),
  /** Rule A6: the platform's runs: pending-order reconciliation, the daily leads, the monthly payouts. */
  "runs.platform": queue({ run: z.enum(["reconcile", "daily", "monthly"]), period }, { expireInSeconds: 300 }),
  /** Rules A2, A3: one stored message to deliver; retried with backoff (2 s doubling, about 4.5 hours in all). */
  "messages.send": queue({ messageId: z.uuid() }, { retryLimit: 12, retryDelaySeconds: 2, expireInSeconds: 30, batchSize: 20 }),
  /** Rule A2: the messages a domain event sets off (friend joined, reward ready, staff alerts...). */
  "messages.events": eventQueue({ expireInSeconds: 60 }),
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobData<Q extends QueueName> = z.input<(typeof QUEUES)[Q]["schema"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];
/** Queues whose payload is `{ clinicId, eventId }`. */
export type EventQueueName = { [Q in QueueName]: JobData<Q> extends { clinicId: string | null; eventId: string } ? Q : never }[QueueName];
