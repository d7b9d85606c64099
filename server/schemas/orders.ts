import { z } from "zod";
import { singleLine } from "./text";

export const idempotencyKeyField = z
  .string()
  .min(8, "Missing request key; reload the page and try again.")
  .max(100)
  .regex(/^[\x21-\x7e]+$/, "That request key is damaged; reload the page and try again.");

export const orderItemsField = z
  .array(
    z.object({
      serviceId: z.uuid("Choose a service from the list."),
      quantity: z.number().int().min(1, "Quantity must be at least 1.").max(20, "At most 20 of one service per order."),
    }),
  )
  .min(1, "Choose at least one service.")
  .max(20, "At most 20 different services per order.");

export const cardField = z.object({
  number: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{13,19}$/, "Enter the card number, 13 to 19 digits.")),
  expiry: z
    .string()
    .trim()
    .regex(/^(0[1-9]|1[0-2])\s*\/\s*(\d{2})$/, "Enter the expiry date as MM/YY."),
  cvc: z.string().trim().regex(/^\d{3,4}$/, "Enter the 3 or 4 digit security code."),
});
export type CardInput = z.infer<typeof cardField>;

export const checkoutInput = z.object({
  items: orderItemsField,
  card: cardField,
  idempotencyKey: idempotencyKeyField,
});

export const recordOrderInput = z.object({
  patientId: z.uuid(),
  items: orderItemsField,
  idempotencyKey: idempotencyKeyField,
  paymentRef: singleLine().max(100).optional(),
});
