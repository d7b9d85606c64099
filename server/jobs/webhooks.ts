import { attemptDelivery, fanOutEvent } from "@/server/services/integrations/webhooks/deliveries";
import type { Handler } from "./handlers";

/** Rule A4: an event's deliveries, one per endpoint that wants it. */
export const fanOutWebhooks: Handler<"webhooks.fanout"> = async (data, { db, actor }) => {
  await fanOutEvent({ db, actor, clinicId: data.clinicId }, { eventId: data.eventId });
};

/** Rule A4: one attempt of one delivery; a failed attempt queues the next itself. */
export const deliverWebhook: Handler<"webhooks.deliver"> = async (data, { db, actor }) => {
  await attemptDelivery({ db, actor, clinicId: data.clinicId }, data);
};
