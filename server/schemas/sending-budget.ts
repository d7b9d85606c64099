import { z } from "zod";

/** Issue 19: the most messages to others a self-signed-up clinic sends a day in its first 30 days. */
export const setSendingBudgetInput = z.object({
  clinicId: z.uuid({ error: "Choose a clinic." }),
  perDay: z
    .number({ error: "Enter a whole number of messages a day." })
    .int({ error: "Enter a whole number of messages a day." })
    .min(0, { error: "The budget can't be negative. 0 stops the clinic's messages to others." })
    .max(100_000, { error: "Enter at most 100,000 messages a day." }),
});
export type SetSendingBudgetInput = z.infer<typeof setSendingBudgetInput>;

export const sendingBudgetOutput = z.object({ clinicId: z.uuid(), perDay: z.number().int() });
