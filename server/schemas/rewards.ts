import { z } from "zod";
import { LEDGER_KINDS, LEDGER_UNITS } from "@/db/schema";
import { REWARD_KINDS } from "@/db/schema/program-versions";
import { REWARD_SIDES, REWARD_STATUSES } from "@/db/schema/rewards";
import { idOutput, timestamp } from "./output-fields";

/** Rule P15: one line of a patient's balance history, as the portal, the patient record and REST show it. */
export const ledgerEntryOutput = z
  .object({ id: idOutput, unit: z.enum(LEDGER_UNITS), kind: z.enum(LEDGER_KINDS), amountCents: z.int(), memo: z.string(), expiresAt: timestamp.nullable(), createdAt: timestamp })
  .meta({ id: "LedgerEntry" });

/** A reward a patient earned, as REST lists it; the console's manual controls add why its status is what it is. */
export const rewardOutput = z
  .object({ id: idOutput, referralId: z.uuid().nullable(), side: z.enum(REWARD_SIDES), kind: z.enum(REWARD_KINDS), amount: z.int(), status: z.enum(REWARD_STATUSES), createdAt: timestamp })
  .meta({ id: "Reward" });
