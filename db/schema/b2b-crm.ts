import { check, date, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { id, timestamps } from "./columns";

export const PRACTICE_COUNTRIES = ["US", "CA", "OTHER"] as const;
export const practiceCountryEnum = pgEnum("practice_country", PRACTICE_COUNTRIES);

export const CUSTOMER_STATUSES = ["active", "former"] as const;
export const customerStatusEnum = pgEnum("b2b_customer_status", CUSTOMER_STATUSES);

export const BILLING_CYCLES = ["monthly", "annual"] as const;
export const billingCycleEnum = pgEnum("b2b_billing_cycle", BILLING_CYCLES);

/**
 * Practices that pay the platform. Identity columns are stored normalized so screening (rule B2)
 * matches on them with an index, however the practice was typed.
 */
export const b2bCustomers = pgTable(
  "b2b_customers",
  {
    id: id(),
    name: text().notNull(),
    /** The clinic on this platform, when the customer runs one; lets signed-in staff refer as it. */
    clinicId: uuid().references(() => clinics.id, { onDelete: "set null" }),
    domain: text(),
    phoneE164: text("phone_e164"),
    postalCode: text().notNull(),
    country: practiceCountryEnum().notNull(),
    namePostalKey: text().notNull(),
    status: customerStatusEnum().notNull().default("active"),
    billingCycle: billingCycleEnum().notNull().default("monthly"),
    /** Rule B4: the flat credit lands on this invoice. */
    nextBillingDate: date({ mode: "string" }),
    /** Rule B4: for a prepaid year, the renewal decides between credit and refund. */
    renewalDate: date({ mode: "string" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("b2b_customers_name_postal_unique").on(t.namePostalKey),
    index("b2b_customers_domain_idx").on(t.domain),
    index("b2b_customers_phone_idx").on(t.phoneE164),
    uniqueIndex("b2b_customers_clinic_unique").on(t.clinicId),
  ],
);

export const PROSPECT_STATUSES = ["active", "closed"] as const;
export const prospectStatusEnum = pgEnum("b2b_prospect_status", PROSPECT_STATUSES);

/** Practices the sales team is already working: a referral of one is flagged (rule B2). */
export const b2bProspects = pgTable(
  "b2b_prospects",
  {
    id: id(),
    name: text().notNull(),
    domain: text(),
    phoneE164: text("phone_e164"),
    postalCode: text().notNull(),
    country: practiceCountryEnum().notNull(),
    namePostalKey: text().notNull(),
    status: prospectStatusEnum().notNull().default("active"),
    owner: text().notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("b2b_prospects_name_postal_unique").on(t.namePostalKey),
    index("b2b_prospects_domain_idx").on(t.domain),
    index("b2b_prospects_phone_idx").on(t.phoneE164),
    check("b2b_prospects_name_present", sql`length(${t.name}) > 0`),
  ],
);
