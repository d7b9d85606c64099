import { z } from "zod";
import { centsField } from "./money";
import { multiLine, singleLine } from "./text";

/** A clinic's service and its price, as admins edit them (issue 13); orders keep the name and price they were sold at. */
export const serviceFields = z.object({
  name: singleLine().min(1, "Name the service.").max(120, "Keep the name under 120 characters."),
  description: multiLine().max(500, "Keep the description under 500 characters.").default(""),
  priceCents: centsField("Price", { min: 1, max: 10_000_000 }),
});

export const serviceUpdateInput = serviceFields.extend({ serviceId: z.uuid() });
export const serviceActiveInput = z.object({ serviceId: z.uuid(), active: z.boolean() });

export const serviceOutput = z.object({ id: z.uuid(), name: z.string(), description: z.string(), priceCents: z.int(), active: z.boolean() });
