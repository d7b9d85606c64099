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
  /** Jobs one worker fetches and works at once; pg-boss waits its polling interval between fetches, so a busy queue takes several. */
  batchSize: number;
  /** Polls more often than the app's default, for a queue whose latency someone waits on (a webhook receiver). */
  pollingIntervalSeconds?: number;
};

const clinicScoped = { clinicId: z.uuid().nullable() };

function queue<S extends z.ZodRawShape>(data: S, policy: Partial<QueuePolicy> = {}) {
  return { schema: z.strictObject({ ...clinicScoped, ...data }), policy: { retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: 30, batchSize: 1, ...policy } };
}

/** A queue that a domain event sets off (server/events/subscriptions.ts): its job names the event. */
const eventQueue = (policy: Partial<QueuePolicy> = {}) => queue({ eventId: z.uuid() }, policy);

/** A run's period: "2026-12-01", "2026-W49", "2026-11" or a five-minute slot "2026-12-01T12:35Z" (server/services/ops/runs.ts checks it per run). */
const period = z.string().regex(/^\d{4}-(\d{2}(-\d{2}(T\d{2}:\d{2}Z)?)?|W\d{2})$/);

export const QUEUES = {
  /** Rule A3: a probe that proves the workers take jobs (server/services/ops/queue-probes.ts). */
  "queue.probe": queue({ probeId: z.uuid() }, { retryLimit: 2, retryDelaySeconds: 5 }),
  /**
   * Rule A6: one clinic's daily or weekly run for one local period. Retried within a minute if
   * its worker dies (A3); a run that outlives its expiry may run twice at once, which its steps,
   * each safe to repeat, allow.
   */
  "runs.clinic": queue({ run: z.enum(["daily", "weekly"]), period }, { expireInSeconds: 35 }),
  /** Rule A6: the platform's runs: pending-order reconciliation, the daily leads, the monthly payouts. */
  "runs.platform": queue({ run: z.enum(["reconcile", "daily", "monthly"]), period }, { expireInSeconds: 35 }),
  /** Rule A6: the scheduler's minute tick (a cron schedule, server/jobs/schedule.ts); the next tick makes up for a failed one. */
  "runs.tick": queue({}, { retryLimit: 1, retryDelaySeconds: 5, expireInSeconds: 30 }),
  /** Issue 13: a CSV import of existing patients, in time slices that each queue the next. */
  "patients.import": queue({ importId: z.uuid() }, { expireInSeconds: 30 }),
  /** Rule A4: one delivery per endpoint that wants the event, and its first attempt queued. */
  "webhooks.fanout": eventQueue({ retryLimit: 5, expireInSeconds: 30, batchSize: 20, pollingIntervalSeconds: 0.5 }),
  /**
   * Rule A4: one attempt of one delivery. The retry schedule is the handler's own (each attempt
   * queues the next with startAfter); pg-boss's retries cover a worker that died or a database error.
   */
  "webhooks.deliver": queue(
    { deliveryId: z.uuid(), attempt: z.int().min(0).max(100), resend: z.boolean() },
    { retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 30, batchSize: 50, pollingIntervalSeconds: 0.5 },
  ),
  /** Rule A5: one verified inbound provider event, processed through the same services as the console. */
  "inbound.process": queue({ inboundEventId: z.uuid() }, { retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: 30, batchSize: 20, pollingIntervalSeconds: 0.5 }),
  /** Rule A7: a checkout reservation's credit goes back once its 30 minutes are over, unless captured or released. */
  "credit.reservation-expire": queue({ reservationId: z.uuid() }),
  /** Rules A2, A3: one stored message to deliver; retried with backoff (2 s doubling, about 4.5 hours in all). */
  "messages.send": queue({ messageId: z.uuid() }, { retryLimit: 12, retryDelaySeconds: 2, expireInSeconds: 30, batchSize: 20 }),
  /** Rule A2: the messages a domain event sets off (friend joined, reward ready, staff alerts...). */
  "messages.events": eventQueue({ expireInSeconds: 30 }),
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobData<Q extends QueueName> = z.input<(typeof QUEUES)[Q]["schema"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];
/** Queues whose payload is `{ clinicId, eventId }`. */
export type EventQueueName = { [Q in QueueName]: JobData<Q> extends { clinicId: string | null; eventId: string } ? Q : never }[QueueName];
