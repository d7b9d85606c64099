import { processInboundEvent } from "@/server/services/integrations/inbound/process";
import type { Handler } from "./handlers";

/** Rule A5: one verified inbound event, processed once to effect (as the provider the event names). */
export const processInbound: Handler<"inbound.process"> = async (data, { db }) => {
  await processInboundEvent({ db }, { inboundEventId: data.inboundEventId });
};
