import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/events/actor";
import type { MessageChannels } from "@/server/messaging/channels";
import { composeForEvent } from "@/server/messaging/compose";
import { deliverMessage } from "@/server/messaging/deliver";
import type { PaymentProvider } from "@/server/services/payments";
import type { QUEUES, QueueName } from "./queues";
import { runClinicJob, runPlatformJob } from "./runs";

export type JobContext = {
  db: Db;
  payments: PaymentProvider;
  channels: MessageChannels;
  /** The job itself, as the audit log and the event log record it. */
  actor: Actor;
  job: { id: string; name: QueueName; retryCount: number; retryLimit: number };
};

/**
 * Jobs are thin: the worker has parsed the payload with the queue's schema; a handler calls
 * one service with the system actor and is safe to run twice (keys, conditional updates).
 */
export type Handler<Q extends QueueName> = (data: z.output<(typeof QUEUES)[Q]["schema"]>, context: JobContext) => Promise<void>;

export const HANDLERS: { [Q in QueueName]: Handler<Q> } = {
  "runs.clinic": runClinicJob,
  "runs.platform": runPlatformJob,
  "messages.send": (data, { db, channels, job }) => deliverMessage(db, channels, data.messageId, { lastAttempt: job.retryCount >= job.retryLimit }),
  "messages.events": (data, { db }) => composeForEvent(db, data.eventId),
};
