import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/events/actor";
import type { MessageChannels } from "@/server/messaging/channels";
import { composeForEvent } from "@/server/services/messages/compose";
import { deliverMessage } from "@/server/messaging/deliver";
import type { PaymentProvider } from "@/server/services/orders/payment-provider";
import { workImport } from "@/server/services/patients/import/run";
import type { QUEUES, QueueName } from "@/server/queue/names";
import { runClinicJob, runPlatformJob, runTick } from "./runs";
import { processInbound } from "./inbound";
import { deliverWebhook, fanOutWebhooks } from "./webhooks";
import { workProbe } from "@/server/services/ops/queue-probes";
import { expireReservation } from "@/server/services/orders/credit-checkout";

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
  "queue.probe": (data, { db, actor }) => workProbe({ db, actor, clinicId: data.clinicId }, { probeId: data.probeId }),
  "runs.clinic": runClinicJob,
  "runs.platform": runPlatformJob,
  "runs.tick": runTick,
  "patients.import": async (data, { db, actor }) => {
    if (!data.clinicId) throw new Error("an import names its clinic");
    await workImport({ db, actor, clinicId: data.clinicId }, { importId: data.importId });
  },
  "webhooks.fanout": fanOutWebhooks,
  "webhooks.deliver": deliverWebhook,
  "inbound.process": processInbound,
  "credit.reservation-expire": async (data, { db, actor }) => {
    if (!data.clinicId) throw new Error("a reservation names its clinic");
    await expireReservation({ db, actor, clinicId: data.clinicId }, { reservationId: data.reservationId });
  },
  "messages.send": (data, { db, channels, job }) => deliverMessage(db, channels, data.messageId, { lastAttempt: job.retryCount >= job.retryLimit }),
  "messages.events": (data, { db, actor }) => composeForEvent({ db, actor, clinicId: data.clinicId }, { eventId: data.eventId }),
};
