import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/events/actor";
import type { PaymentProvider } from "@/server/services/payments";
import type { QUEUES, QueueName } from "./queues";
import { expireReservation } from "@/server/services/credit-checkout";
import { runClinicJob, runPlatformJob } from "./runs";

export type JobContext = {
  db: Db;
  payments: PaymentProvider;
  /** The job itself, as the audit log and the event log record it. */
  actor: Actor;
  job: { id: string; name: QueueName; retryCount: number };
};

/**
 * Jobs are thin: the worker has parsed the payload with the queue's schema; a handler calls
 * one service with the system actor and is safe to run twice (keys, conditional updates).
 */
export type Handler<Q extends QueueName> = (data: z.output<(typeof QUEUES)[Q]["schema"]>, context: JobContext) => Promise<void>;

export const HANDLERS: { [Q in QueueName]: Handler<Q> } = {
  "runs.clinic": runClinicJob,
  "runs.platform": runPlatformJob,
  "credit.reservation-expire": async (data, { db }) => {
    if (!data.clinicId) throw new Error("a reservation names its clinic");
    await expireReservation(db, { clinicId: data.clinicId, reservationId: data.reservationId });
  },
};
