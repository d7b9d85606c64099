import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { programVersions } from "./program-versions";
import { sql } from "drizzle-orm";
import { clinics } from "./clinics";
import { createdAt, id, timestamps } from "./columns";
import { users } from "./users";

/** Rule P2: one active code per patient; rotated codes are kept so old links explain themselves. */
export const referralCodes = pgTable(
  "referral_codes",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    patientId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    code: text().notNull(),
    rotatedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("referral_codes_code_unique").on(t.code),
    uniqueIndex("referral_codes_one_active_per_patient")
      .on(t.patientId)
      .where(sql`${t.rotatedAt} is null`),
    index("referral_codes_clinic_idx").on(t.clinicId),
  ],
);

export const REFERRAL_STATUSES = ["signed_up", "qualified", "ineligible"] as const;
export const referralStatusEnum = pgEnum("referral_status", REFERRAL_STATUSES);

export const INELIGIBLE_REASONS = ["self_referral", "existing_patient", "referrer_disabled", "rejected"] as const;
export const ineligibleReasonEnum = pgEnum("ineligible_reason", INELIGIBLE_REASONS);

export const ATTRIBUTION_SOURCES = ["link", "typed_code", "staff"] as const;
export const attributionSourceEnum = pgEnum("attribution_source", ATTRIBUTION_SOURCES);

export const REVIEW_STATES = ["none", "pending", "approved", "rejected"] as const;
export const reviewStateEnum = pgEnum("review_state", REVIEW_STATES);

export type ReferralFlag =
  | { kind: "same_ip" | "same_device"; evidence: string }
  | { kind: "disposable_email"; evidence: string }
  | { kind: "velocity"; evidence: string };

export const referrals = pgTable(
  "referrals",
  {
    id: id(),
    clinicId: uuid()
      .notNull()
      .references(() => clinics.id, { onDelete: "cascade" }),
    referrerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    refereeId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeId: uuid()
      .notNull()
      .references(() => referralCodes.id),
    source: attributionSourceEnum().notNull(),
    status: referralStatusEnum().notNull().default("signed_up"),
    ineligibleReason: ineligibleReasonEnum(),
    /** Rule P14: the program version in force when the referral was made. */
    programVersionId: uuid()
      .notNull()
      .references(() => programVersions.id),
    /** Rule P6: suspicious referrals wait for a person; their rewards are held meanwhile. */
    reviewState: reviewStateEnum().notNull().default("none"),
    flags: jsonb().$type<ReferralFlag[]>().notNull().default([]),
    reviewNote: text(),
    qualifiedAt: timestamp({ withTimezone: true }),
    qualifyingOrderId: uuid(),
    ...timestamps,
  },
  (t) => [
    // A patient is referred at most once (rule P5: the link is made at sign-up, never again).
    uniqueIndex("referrals_referee_unique").on(t.refereeId),
    index("referrals_clinic_time_idx").on(t.clinicId, t.createdAt),
    index("referrals_referrer_idx").on(t.referrerId),
    index("referrals_code_idx").on(t.codeId),
    index("referrals_version_idx").on(t.programVersionId),
    index("referrals_review_idx").on(t.clinicId, t.reviewState),
  ],
);
