import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id, timestamps } from "./columns";
import { users } from "./users";

export const services = pgTable(
  "services",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    priceCents: integer().notNull(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [index("services_clinic_idx").on(t.clinicId), check("services_price_positive", sql`${t.priceCents} > 0`)],
);

export const ORDER_STATUSES = ["pending", "paid", "declined", "refunded"] as const;
export const orderStatusEnum = pgEnum("order_status", ORDER_STATUSES);

export const PAYMENT_METHODS = ["card", "in_clinic"] as const;
export const paymentMethodEnum = pgEnum("payment_method", PAYMENT_METHODS);

export const orders = pgTable(
  "orders",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: orderStatusEnum().notNull().default("pending"),
    totalCents: integer().notNull(),
    /** A percent-off reward used on this order (rule P8). */
    discountCents: integer().notNull().default(0),
    discountRewardId: uuid(),
    creditAppliedCents: integer().notNull().default(0),
    chargedCents: integer().notNull(),
    paymentMethod: paymentMethodEnum().notNull(),
    /** Provider reference and the last four card digits only; no card data is stored. */
    paymentRef: text(),
    cardLast4: text(),
    declineReason: text(),
    /** Rule N2: every order arrives with the caller's idempotency key. */
    idempotencyKey: text().notNull(),
    recordedById: uuid().references(() => users.id),
    paidAt: timestamp({ withTimezone: true }),
    refundedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("orders_idempotency_unique").on(t.clinicId, t.idempotencyKey),
    index("orders_patient_idx").on(t.patientId, t.createdAt),
    index("orders_clinic_time_idx").on(t.clinicId, t.createdAt),
    // Rule C1: revenue by day of payment.
    index("orders_clinic_paid_idx").on(t.clinicId, t.paidAt).where(sql`${t.paidAt} is not null`),
    check(
      "orders_amounts_valid",
      sql`${t.discountCents} >= 0 and ${t.creditAppliedCents} >= 0 and ${t.chargedCents} >= 0 and ${t.discountCents} + ${t.creditAppliedCents} + ${t.chargedCents} = ${t.totalCents}`,
    ),
    // The reconciliation run walks the pending orders (order-payments.ts).
    index("orders_pending_idx").on(t.id).where(sql`${t.status} = 'pending'`),
    // A discount reward is spent by one live order at most.
    uniqueIndex("orders_discount_reward_once").on(t.discountRewardId).where(sql`${t.status} <> 'declined'`),
  ],
);

export const TEST_PAYMENT_STATUSES = ["open", "succeeded", "failed", "canceled"] as const;
export const testPaymentStatusEnum = pgEnum("test_payment_status", TEST_PAYMENT_STATUSES);

/**
 * The built-in test payment provider's own record of its attempts. It stands where a real
 * processor's records would, so it is not a clinic's data; keeping it in the database lets any
 * instance answer what happened to an attempt after another one crashed. Never card data.
 */
export const testPaymentAttempts = pgTable(
  "test_payment_attempts",
  {
    id: text().primaryKey(),
    idempotencyKey: text().notNull(),
    amountCents: integer().notNull(),
    status: testPaymentStatusEnum().notNull().default("open"),
    last4: text(),
    failureReason: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("test_payment_attempts_key_unique").on(t.idempotencyKey)],
);

export const orderItems = pgTable(
  "order_items",
  {
    id: id(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** Null for the single "Payment" line of a payment recorded from a provider's event (rule A5). */
    serviceId: uuid().references(() => services.id),
    name: text().notNull(),
    unitPriceCents: integer().notNull(),
    quantity: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("order_items_order_idx").on(t.orderId), index("order_items_service_idx").on(t.serviceId), check("order_items_quantity_positive", sql`${t.quantity} > 0`)],
);

export const APPOINTMENT_STATUSES = ["booked", "attended", "cancelled"] as const;
export const appointmentStatusEnum = pgEnum("appointment_status", APPOINTMENT_STATUSES);

/** Bookings and attendance, for clinics whose qualifying event is an appointment (rule P7). */
export const appointments = pgTable(
  "appointments",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: appointmentStatusEnum().notNull().default("booked"),
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
    attendedAt: timestamp({ withTimezone: true }),
    idempotencyKey: text().notNull(),
    recordedById: uuid().references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("appointments_idempotency_unique").on(t.clinicId, t.idempotencyKey),
    index("appointments_patient_idx").on(t.patientId),
    index("appointments_recorded_by_idx").on(t.recordedById),
  ],
);
