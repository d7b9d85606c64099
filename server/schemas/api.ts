import { z } from "zod";
import { API_KEY_SCOPES } from "@/db/schema/api";
import { emailField, phoneField } from "./account";
import { reasonField } from "./controls";
import { centsField } from "./money";
import { orderItemsField } from "./orders";
import { singleLine } from "./text";

/** Schemas of the REST API (and its keys), shared by the routes, the tRPC procedures and the OpenAPI document. */

export const apiKeyNameField = singleLine().min(1, "Name the key, e.g. the system that will use it.").max(80, "A key's name can be at most 80 characters.");
export const createApiKeyInput = z.strictObject({ name: apiKeyNameField, scope: z.enum(API_KEY_SCOPES) });
export const revokeApiKeyInput = z.strictObject({ keyId: z.uuid() });
export const apiKeySummary = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

const personName = (label: string) => singleLine().min(1, `Give the ${label}.`).max(80, `The ${label} can be at most 80 characters.`);
export const externalIdField = singleLine().min(1).max(100, "An external id can be at most 100 characters.");
const orderTotal = centsField("The order total", { min: 1, max: 10_000_000 });

export const createPatientBody = z.strictObject({
  firstName: personName("first name"),
  lastName: personName("last name"),
  email: emailField,
  phone: phoneField,
  externalId: externalIdField.optional(),
});

export const searchPatientsBody = z
  .strictObject({ email: emailField.optional(), phone: singleLine().max(30).optional(), externalId: externalIdField.optional() })
  .refine((b) => b.email || b.phone || b.externalId, { message: "Give an email, a phone number or an external id to search by.", path: ["email"] });

export const recordOrderBody = z.union([
  z.strictObject({
    patientId: z.uuid(),
    items: orderItemsField,
    reservationId: z.uuid().optional(),
    paymentRef: singleLine().max(100).optional(),
  }),
  z.strictObject({
    patientId: z.uuid(),
    amountCents: orderTotal,
    reservationId: z.uuid().optional(),
    paymentRef: singleLine().max(100).optional(),
  }),
]);

export const refundOrderBody = z.strictObject({ reason: reasonField });
export const creditQuoteBody = z.strictObject({ orderTotalCents: orderTotal });
export const creditRedeemBody = z.strictObject({
  orderTotalCents: orderTotal,
  /** The clinic's own order reference; never a patient's name or other personal data. */
  externalRef: singleLine().min(1, "Give your system's order reference.").max(100),
});
export const reservationRefBody = z.strictObject({ reservationId: z.uuid() });
export const bookAppointmentBody = z.strictObject({ patientId: z.uuid(), scheduledFor: z.iso.datetime({ offset: true, error: "Give the time as an ISO 8601 date-time." }) });
