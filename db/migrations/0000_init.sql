CREATE TYPE "public"."over_cap_action" AS ENUM('points', 'withhold');--> statement-breakpoint
CREATE TYPE "public"."qualifying_event" AS ENUM('first_paid_order', 'first_booked_appointment', 'first_attended_appointment');--> statement-breakpoint
CREATE TYPE "public"."reward_kind" AS ENUM('credit', 'points', 'percent');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('patient', 'staff', 'admin', 'platform_admin');--> statement-breakpoint
CREATE TYPE "public"."attribution_source" AS ENUM('link', 'typed_code', 'staff');--> statement-breakpoint
CREATE TYPE "public"."ineligible_reason" AS ENUM('self_referral', 'existing_patient', 'referrer_disabled', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('signed_up', 'qualified', 'ineligible');--> statement-breakpoint
CREATE TYPE "public"."review_state" AS ENUM('none', 'pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."appointment_status" AS ENUM('booked', 'attended', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending', 'paid', 'declined', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('card', 'in_clinic');--> statement-breakpoint
CREATE TYPE "public"."reward_side" AS ENUM('referrer', 'referee', 'milestone');--> statement-breakpoint
CREATE TYPE "public"."reward_status" AS ENUM('held', 'released', 'withheld', 'reversed');--> statement-breakpoint
CREATE TYPE "public"."ledger_kind" AS ENUM('grant', 'adjustment', 'redemption', 'redemption_release', 'expiry', 'reversal');--> statement-breakpoint
CREATE TYPE "public"."ledger_unit" AS ENUM('credit', 'points');--> statement-breakpoint
CREATE TYPE "public"."click_channel" AS ENUM('sms', 'email', 'qr', 'copy', 'share', 'other');--> statement-breakpoint
CREATE TYPE "public"."event_type" AS ENUM('click', 'sign_up', 'flag', 'approval', 'rejection', 'qualification', 'reward', 'redemption', 'adjustment', 'override', 'reversal', 'expiry', 'code_rotation');--> statement-breakpoint
CREATE TYPE "public"."b2b_billing_cycle" AS ENUM('monthly', 'annual');--> statement-breakpoint
CREATE TYPE "public"."b2b_customer_status" AS ENUM('active', 'former');--> statement-breakpoint
CREATE TYPE "public"."practice_country" AS ENUM('US', 'CA', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."b2b_prospect_status" AS ENUM('active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."b2b_referral_status" AS ENUM('submitted', 'under_review', 'accepted', 'rejected', 'duplicate', 'won', 'lost', 'expired');--> statement-breakpoint
CREATE TYPE "public"."practice_identity_kind" AS ENUM('domain', 'phone', 'name_postal');--> statement-breakpoint
CREATE TYPE "public"."b2b_program_audience" AS ENUM('anyone', 'customers_only');--> statement-breakpoint
CREATE TYPE "public"."b2b_reward_plan" AS ENUM('flat_credit', 'recurring_share');--> statement-breakpoint
CREATE TYPE "public"."b2b_payment_kind" AS ENUM('maintenance', 'other');--> statement-breakpoint
CREATE TYPE "public"."b2b_payout_item_status" AS ENUM('pending', 'paid');--> statement-breakpoint
CREATE TYPE "public"."b2b_payout_run_status" AS ENUM('draft', 'approved');--> statement-breakpoint
CREATE TYPE "public"."b2b_settlement" AS ENUM('invoice_credit', 'refund', 'payout');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinics_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"current_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"referrer_reward_kind" "reward_kind" DEFAULT 'credit' NOT NULL,
	"referrer_reward_amount" integer DEFAULT 5000 NOT NULL,
	"referee_reward_kind" "reward_kind" DEFAULT 'credit' NOT NULL,
	"referee_reward_amount" integer DEFAULT 3000 NOT NULL,
	"qualifying_event" "qualifying_event" DEFAULT 'first_paid_order' NOT NULL,
	"attribution_window_days" integer DEFAULT 30 NOT NULL,
	"max_rewarded_per_year" integer,
	"max_rewarded_lifetime" integer,
	"max_reward_value_per_year_cents" integer,
	"milestones" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reward_expiry_days" integer,
	"expiry_reminder_days" integer DEFAULT 14 NOT NULL,
	"hold_days" integer DEFAULT 0 NOT NULL,
	"learn_more_url" text,
	"terms_version" integer DEFAULT 1 NOT NULL,
	"terms_text" text DEFAULT '' NOT NULL,
	"velocity_limit_per_day" integer DEFAULT 5 NOT NULL,
	"government_item_cap_cents" integer DEFAULT 1500 NOT NULL,
	"government_year_cap_cents" integer DEFAULT 7500 NOT NULL,
	"government_over_cap_action" "over_cap_action" DEFAULT 'withhold' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_versions_amounts_valid" CHECK ("program_versions"."referrer_reward_amount" >= 0 and "program_versions"."referee_reward_amount" >= 0
        and ("program_versions"."referrer_reward_kind" <> 'percent' or "program_versions"."referrer_reward_amount" <= 100)
        and ("program_versions"."referee_reward_kind" <> 'percent' or "program_versions"."referee_reward_amount" <= 100)),
	CONSTRAINT "program_versions_window_valid" CHECK ("program_versions"."attribution_window_days" between 1 and 365),
	CONSTRAINT "program_versions_hold_valid" CHECK ("program_versions"."hold_days" between 0 and 365)
);
--> statement-breakpoint
CREATE TABLE "terms_acceptances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"terms_version" integer NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid,
	"role" "role" NOT NULL,
	"email" text NOT NULL,
	"email_normalized" text NOT NULL,
	"phone_normalized" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"password_hash" text,
	"government_payer" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_clinic_matches_role" CHECK (("users"."role" = 'platform_admin') = ("users"."clinic_id" is null))
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code" text NOT NULL,
	"rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"referrer_id" uuid NOT NULL,
	"referee_id" uuid NOT NULL,
	"code_id" uuid NOT NULL,
	"source" "attribution_source" NOT NULL,
	"status" "referral_status" DEFAULT 'signed_up' NOT NULL,
	"ineligible_reason" "ineligible_reason",
	"program_version_id" uuid NOT NULL,
	"review_state" "review_state" DEFAULT 'none' NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_note" text,
	"qualified_at" timestamp with time zone,
	"qualifying_order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" "appointment_status" DEFAULT 'booked' NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"attended_at" timestamp with time zone,
	"idempotency_key" text NOT NULL,
	"recorded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_items_quantity_positive" CHECK ("order_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" "order_status" DEFAULT 'pending' NOT NULL,
	"total_cents" integer NOT NULL,
	"discount_cents" integer DEFAULT 0 NOT NULL,
	"discount_reward_id" uuid,
	"credit_applied_cents" integer DEFAULT 0 NOT NULL,
	"charged_cents" integer NOT NULL,
	"payment_method" "payment_method" NOT NULL,
	"payment_ref" text,
	"card_last4" text,
	"decline_reason" text,
	"idempotency_key" text NOT NULL,
	"recorded_by_id" uuid,
	"paid_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_amounts_valid" CHECK ("orders"."discount_cents" >= 0 and "orders"."credit_applied_cents" >= 0 and "orders"."charged_cents" >= 0 and "orders"."discount_cents" + "orders"."credit_applied_cents" + "orders"."charged_cents" = "orders"."total_cents")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_cents" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_price_positive" CHECK ("services"."price_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"program_version_id" uuid NOT NULL,
	"side" "reward_side" NOT NULL,
	"milestone_threshold" integer,
	"kind" "reward_kind" NOT NULL,
	"amount" integer NOT NULL,
	"status" "reward_status" NOT NULL,
	"status_reason" text,
	"released_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"used_by_order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"unit" "ledger_unit" DEFAULT 'credit' NOT NULL,
	"kind" "ledger_kind" NOT NULL,
	"amount_cents" integer NOT NULL,
	"grant_id" uuid,
	"reward_id" uuid,
	"order_id" uuid,
	"actor_id" uuid,
	"expires_at" timestamp with time zone,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_ledger_sign_matches_kind" CHECK (("credit_ledger"."kind" = 'grant' and "credit_ledger"."amount_cents" > 0 and "credit_ledger"."grant_id" is null and "credit_ledger"."reward_id" is not null)
        or ("credit_ledger"."kind" = 'adjustment' and "credit_ledger"."amount_cents" > 0 and "credit_ledger"."grant_id" is null)
        or ("credit_ledger"."kind" in ('adjustment', 'redemption', 'expiry', 'reversal') and "credit_ledger"."amount_cents" < 0 and "credit_ledger"."grant_id" is not null)
        or ("credit_ledger"."kind" = 'redemption_release' and "credit_ledger"."amount_cents" > 0 and "credit_ledger"."grant_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "activity_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"type" "event_type" NOT NULL,
	"patient_id" uuid,
	"referral_id" uuid,
	"code_id" uuid,
	"actor_id" uuid,
	"channel" "click_channel",
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"ip_hash" text,
	"user_agent" text,
	"amount_cents" integer,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_sightings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"ip_hash" text DEFAULT '' NOT NULL,
	"device_hash" text DEFAULT '' NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid,
	"actor_id" uuid NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid,
	"reason" text,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_referral_stats" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"sign_ups" integer DEFAULT 0 NOT NULL,
	"qualified" integer DEFAULT 0 NOT NULL,
	"rewards_issued_cents" integer DEFAULT 0 NOT NULL,
	"rewards_redeemed_cents" integer DEFAULT 0 NOT NULL,
	"revenue_cents" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_referral_stats_clinic_id_day_channel_pk" PRIMARY KEY("clinic_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "daily_referrer_stats" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"referrer_id" uuid NOT NULL,
	"qualified" integer NOT NULL,
	CONSTRAINT "daily_referrer_stats_clinic_id_day_referrer_id_pk" PRIMARY KEY("clinic_id","day","referrer_id")
);
--> statement-breakpoint
CREATE TABLE "referrer_totals" (
	"clinic_id" uuid NOT NULL,
	"referrer_id" uuid NOT NULL,
	"qualified" integer NOT NULL,
	CONSTRAINT "referrer_totals_clinic_id_referrer_id_pk" PRIMARY KEY("clinic_id","referrer_id")
);
--> statement-breakpoint
CREATE TABLE "stats_rollups" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"rolled_up_through" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "b2b_customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"clinic_id" uuid,
	"domain" text,
	"phone_e164" text,
	"postal_code" text NOT NULL,
	"country" "practice_country" NOT NULL,
	"name_postal_key" text NOT NULL,
	"status" "b2b_customer_status" DEFAULT 'active' NOT NULL,
	"billing_cycle" "b2b_billing_cycle" DEFAULT 'monthly' NOT NULL,
	"next_billing_date" date,
	"renewal_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "b2b_prospects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"domain" text,
	"phone_e164" text,
	"postal_code" text NOT NULL,
	"country" "practice_country" NOT NULL,
	"name_postal_key" text NOT NULL,
	"status" "b2b_prospect_status" DEFAULT 'active' NOT NULL,
	"owner" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_prospects_name_present" CHECK (length("b2b_prospects"."name") > 0)
);
--> statement-breakpoint
CREATE TABLE "b2b_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "b2b_program" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"reward_plan" "b2b_reward_plan" DEFAULT 'recurring_share' NOT NULL,
	"flat_credit_cents" integer DEFAULT 50000 NOT NULL,
	"share_basis_points" integer DEFAULT 1000 NOT NULL,
	"share_months" integer DEFAULT 24 NOT NULL,
	"audience" "b2b_program_audience" DEFAULT 'anyone' NOT NULL,
	"terms_version" text DEFAULT '2026-01' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_program_single_row" CHECK ("b2b_program"."id" = 1),
	CONSTRAINT "b2b_program_amounts_valid" CHECK ("b2b_program"."flat_credit_cents" >= 0 and "b2b_program"."share_basis_points" between 0 and 10000 and "b2b_program"."share_months" between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "b2b_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referrer_id" uuid NOT NULL,
	"referrer_name" text NOT NULL,
	"referrer_email" text NOT NULL,
	"referrer_phone" text NOT NULL,
	"referrer_organization" text NOT NULL,
	"relationship" text NOT NULL,
	"practice_name" text NOT NULL,
	"contact_name" text NOT NULL,
	"practice_email" text NOT NULL,
	"practice_phone" text NOT NULL,
	"website" text,
	"address_line" text NOT NULL,
	"city" text NOT NULL,
	"region" text NOT NULL,
	"postal_code" text NOT NULL,
	"country" "practice_country" NOT NULL,
	"status" "b2b_referral_status" DEFAULT 'submitted' NOT NULL,
	"duplicate_of_id" uuid,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rejection_reason" text,
	"age_confirmed" boolean NOT NULL,
	"no_conflict_declared" boolean NOT NULL,
	"terms_version" text NOT NULL,
	"reward_plan" "b2b_reward_plan" NOT NULL,
	"flat_credit_cents" integer NOT NULL,
	"share_basis_points" integer NOT NULL,
	"share_months" integer NOT NULL,
	"contract_start" date,
	"launch_date" date,
	"plan" text,
	"monthly_fee_cents" integer,
	"contract_end" date,
	"lost_reason" text,
	"decided_at" timestamp with time zone,
	"ip_hash" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_referrals_id_plan_unique" UNIQUE("id","reward_plan"),
	CONSTRAINT "b2b_referrals_declarations" CHECK ("b2b_referrals"."age_confirmed" and "b2b_referrals"."no_conflict_declared"),
	CONSTRAINT "b2b_referrals_duplicate_status" CHECK (("b2b_referrals"."status" = 'duplicate') = ("b2b_referrals"."duplicate_of_id" is not null)),
	CONSTRAINT "b2b_referrals_rejection_reason" CHECK ("b2b_referrals"."status" <> 'rejected' or "b2b_referrals"."rejection_reason" is not null),
	CONSTRAINT "b2b_referrals_won_has_contract" CHECK ("b2b_referrals"."status" not in ('won') or ("b2b_referrals"."contract_start" is not null and "b2b_referrals"."launch_date" is not null and "b2b_referrals"."monthly_fee_cents" >= 0))
);
--> statement-breakpoint
CREATE TABLE "partner_referrers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"phone_e164" text NOT NULL,
	"organization" text NOT NULL,
	"customer_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_status_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"referrer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_identities" (
	"kind" "practice_identity_kind" NOT NULL,
	"value" text NOT NULL,
	"referral_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practice_identities_kind_value_pk" PRIMARY KEY("kind","value")
);
--> statement-breakpoint
CREATE TABLE "b2b_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" "b2b_payment_kind" DEFAULT 'maintenance' NOT NULL,
	"amount_cents" integer NOT NULL,
	"received_on" date NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"idempotency_key" text NOT NULL,
	"recorded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_payments_amount_positive" CHECK ("b2b_payments"."amount_cents" > 0),
	CONSTRAINT "b2b_payments_period_valid" CHECK ("b2b_payments"."period_end" >= "b2b_payments"."period_start")
);
--> statement-breakpoint
CREATE TABLE "b2b_payout_item_rewards" (
	"reward_id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "b2b_payout_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"referrer_id" uuid NOT NULL,
	"total_cents" integer DEFAULT 0 NOT NULL,
	"status" "b2b_payout_item_status" DEFAULT 'pending' NOT NULL,
	"paid_reference" text,
	"paid_at" timestamp with time zone,
	"paid_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_payout_items_paid_has_reference" CHECK ("b2b_payout_items"."status" <> 'paid' or ("b2b_payout_items"."paid_reference" is not null and "b2b_payout_items"."paid_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "b2b_payout_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" text NOT NULL,
	"status" "b2b_payout_run_status" DEFAULT 'draft' NOT NULL,
	"created_by_id" uuid,
	"approved_by_id" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_payout_runs_month_format" CHECK ("b2b_payout_runs"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "b2b_rewards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"plan" "b2b_reward_plan" NOT NULL,
	"referrer_id" uuid NOT NULL,
	"payment_id" uuid,
	"amount_cents" integer NOT NULL,
	"settlement" "b2b_settlement" NOT NULL,
	"earned_on" date NOT NULL,
	"apply_on" date,
	"memo" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "b2b_rewards_amount_positive" CHECK ("b2b_rewards"."amount_cents" > 0),
	CONSTRAINT "b2b_rewards_share_has_payment" CHECK ("b2b_rewards"."plan" <> 'recurring_share' or "b2b_rewards"."payment_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid,
	"kind" text NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"referral_id" uuid,
	"referrer_id" uuid,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_staff_role" CHECK ("invitations"."role" in ('staff', 'admin')),
	CONSTRAINT "invitations_accepted_has_user" CHECK (("invitations"."accepted_at" is null) = ("invitations"."accepted_user_id" is null))
);
--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_current_version_id_program_versions_id_fk" FOREIGN KEY ("current_version_id") REFERENCES "public"."program_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_versions" ADD CONSTRAINT "program_versions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_versions" ADD CONSTRAINT "program_versions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terms_acceptances" ADD CONSTRAINT "terms_acceptances_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terms_acceptances" ADD CONSTRAINT "terms_acceptances_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referee_id_users_id_fk" FOREIGN KEY ("referee_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_code_id_referral_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."referral_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_program_version_id_program_versions_id_fk" FOREIGN KEY ("program_version_id") REFERENCES "public"."program_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_program_version_id_program_versions_id_fk" FOREIGN KEY ("program_version_id") REFERENCES "public"."program_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_grant_id_credit_ledger_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."credit_ledger"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_reward_id_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "public"."rewards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_code_id_referral_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."referral_codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_sightings" ADD CONSTRAINT "device_sightings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_sightings" ADD CONSTRAINT "device_sightings_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_referral_stats" ADD CONSTRAINT "daily_referral_stats_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_referrer_stats" ADD CONSTRAINT "daily_referrer_stats_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_referrer_stats" ADD CONSTRAINT "daily_referrer_stats_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrer_totals" ADD CONSTRAINT "referrer_totals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrer_totals" ADD CONSTRAINT "referrer_totals_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_rollups" ADD CONSTRAINT "stats_rollups_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_customers" ADD CONSTRAINT "b2b_customers_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_events" ADD CONSTRAINT "b2b_events_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_events" ADD CONSTRAINT "b2b_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_referrals" ADD CONSTRAINT "b2b_referrals_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_referrals" ADD CONSTRAINT "b2b_referrals_duplicate_of_id_b2b_referrals_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_referrers" ADD CONSTRAINT "partner_referrers_customer_id_b2b_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."b2b_customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD CONSTRAINT "partner_status_tokens_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_identities" ADD CONSTRAINT "practice_identities_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payments" ADD CONSTRAINT "b2b_payments_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payments" ADD CONSTRAINT "b2b_payments_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_item_rewards" ADD CONSTRAINT "b2b_payout_item_rewards_reward_id_b2b_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "public"."b2b_rewards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_item_rewards" ADD CONSTRAINT "b2b_payout_item_rewards_item_id_b2b_payout_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."b2b_payout_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_items" ADD CONSTRAINT "b2b_payout_items_run_id_b2b_payout_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."b2b_payout_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_items" ADD CONSTRAINT "b2b_payout_items_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_items" ADD CONSTRAINT "b2b_payout_items_paid_by_id_users_id_fk" FOREIGN KEY ("paid_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_runs" ADD CONSTRAINT "b2b_payout_runs_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_payout_runs" ADD CONSTRAINT "b2b_payout_runs_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_rewards" ADD CONSTRAINT "b2b_rewards_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_rewards" ADD CONSTRAINT "b2b_rewards_payment_id_b2b_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."b2b_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_rewards" ADD CONSTRAINT "b2b_rewards_referral_plan_fk" FOREIGN KEY ("referral_id","plan") REFERENCES "public"."b2b_referrals"("id","reward_plan") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_id_users_id_fk" FOREIGN KEY ("invited_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "program_versions_clinic_version_unique" ON "program_versions" USING btree ("clinic_id","version");--> statement-breakpoint
CREATE INDEX "program_versions_created_by_idx" ON "program_versions" USING btree ("created_by_id");--> statement-breakpoint
CREATE UNIQUE INDEX "terms_acceptances_once" ON "terms_acceptances" USING btree ("patient_id","terms_version");--> statement-breakpoint
CREATE INDEX "terms_acceptances_clinic_idx" ON "terms_acceptances" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_clinic_idx" ON "users" USING btree ("clinic_id","role");--> statement-breakpoint
CREATE INDEX "users_clinic_email_norm_idx" ON "users" USING btree ("clinic_id","email_normalized");--> statement-breakpoint
CREATE INDEX "users_clinic_phone_idx" ON "users" USING btree ("clinic_id","phone_normalized");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_code_unique" ON "referral_codes" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_one_active_per_patient" ON "referral_codes" USING btree ("patient_id") WHERE "referral_codes"."rotated_at" is null;--> statement-breakpoint
CREATE INDEX "referral_codes_clinic_idx" ON "referral_codes" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_referee_unique" ON "referrals" USING btree ("referee_id");--> statement-breakpoint
CREATE INDEX "referrals_clinic_time_idx" ON "referrals" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "referrals_code_idx" ON "referrals" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "referrals_version_idx" ON "referrals" USING btree ("program_version_id");--> statement-breakpoint
CREATE INDEX "referrals_review_idx" ON "referrals" USING btree ("clinic_id","review_state");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_idempotency_unique" ON "appointments" USING btree ("clinic_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "appointments_patient_idx" ON "appointments" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "appointments_recorded_by_idx" ON "appointments" USING btree ("recorded_by_id");--> statement-breakpoint
CREATE INDEX "order_items_order_idx" ON "order_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_items_service_idx" ON "order_items" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_idempotency_unique" ON "orders" USING btree ("clinic_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "orders_patient_idx" ON "orders" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_clinic_time_idx" ON "orders" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_clinic_paid_idx" ON "orders" USING btree ("clinic_id","paid_at") WHERE "orders"."paid_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_discount_reward_once" ON "orders" USING btree ("discount_reward_id") WHERE "orders"."status" <> 'declined';--> statement-breakpoint
CREATE INDEX "services_clinic_idx" ON "services" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_one_per_side" ON "rewards" USING btree ("referral_id","side") WHERE "rewards"."side" <> 'milestone';--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_one_per_milestone" ON "rewards" USING btree ("patient_id","milestone_threshold") WHERE "rewards"."side" = 'milestone';--> statement-breakpoint
CREATE INDEX "rewards_patient_idx" ON "rewards" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "rewards_referral_idx" ON "rewards" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "rewards_clinic_time_idx" ON "rewards" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "rewards_version_idx" ON "rewards" USING btree ("program_version_id");--> statement-breakpoint
CREATE INDEX "rewards_expiry_idx" ON "rewards" USING btree ("expires_at") WHERE "rewards"."status" = 'released';--> statement-breakpoint
CREATE INDEX "credit_ledger_patient_idx" ON "credit_ledger" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_ledger_clinic_time_idx" ON "credit_ledger" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_ledger_grant_idx" ON "credit_ledger" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "credit_ledger_order_idx" ON "credit_ledger" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "credit_ledger_actor_idx" ON "credit_ledger" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_one_grant_per_reward" ON "credit_ledger" USING btree ("reward_id") WHERE "credit_ledger"."kind" = 'grant';--> statement-breakpoint
CREATE INDEX "activity_events_clinic_time_idx" ON "activity_events" USING btree ("clinic_id","created_at","id");--> statement-breakpoint
CREATE INDEX "activity_events_clinic_type_time_idx" ON "activity_events" USING btree ("clinic_id","type","created_at");--> statement-breakpoint
CREATE INDEX "activity_events_patient_time_idx" ON "activity_events" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_events_referral_idx" ON "activity_events" USING btree ("referral_id") WHERE "activity_events"."referral_id" is not null;--> statement-breakpoint
CREATE INDEX "activity_events_code_idx" ON "activity_events" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "activity_events_actor_idx" ON "activity_events" USING btree ("actor_id") WHERE "activity_events"."actor_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "device_sightings_unique" ON "device_sightings" USING btree ("patient_id","ip_hash","device_hash");--> statement-breakpoint
CREATE INDEX "device_sightings_ip_idx" ON "device_sightings" USING btree ("clinic_id","ip_hash","seen_at");--> statement-breakpoint
CREATE INDEX "device_sightings_device_idx" ON "device_sightings" USING btree ("clinic_id","device_hash","seen_at");--> statement-breakpoint
CREATE INDEX "audit_log_clinic_time_idx" ON "audit_log" USING btree ("clinic_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "daily_referrer_stats_referrer_idx" ON "daily_referrer_stats" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "referrer_totals_rank_idx" ON "referrer_totals" USING btree ("clinic_id","qualified" DESC NULLS LAST,"referrer_id");--> statement-breakpoint
CREATE INDEX "referrer_totals_referrer_idx" ON "referrer_totals" USING btree ("referrer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_customers_name_postal_unique" ON "b2b_customers" USING btree ("name_postal_key");--> statement-breakpoint
CREATE INDEX "b2b_customers_domain_idx" ON "b2b_customers" USING btree ("domain");--> statement-breakpoint
CREATE INDEX "b2b_customers_phone_idx" ON "b2b_customers" USING btree ("phone_e164");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_customers_clinic_unique" ON "b2b_customers" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_prospects_name_postal_unique" ON "b2b_prospects" USING btree ("name_postal_key");--> statement-breakpoint
CREATE INDEX "b2b_prospects_domain_idx" ON "b2b_prospects" USING btree ("domain");--> statement-breakpoint
CREATE INDEX "b2b_prospects_phone_idx" ON "b2b_prospects" USING btree ("phone_e164");--> statement-breakpoint
CREATE INDEX "b2b_events_referral_idx" ON "b2b_events" USING btree ("referral_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_referrals_idempotency_unique" ON "b2b_referrals" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "b2b_referrals_referrer_idx" ON "b2b_referrals" USING btree ("referrer_id","created_at");--> statement-breakpoint
CREATE INDEX "b2b_referrals_status_idx" ON "b2b_referrals" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "b2b_referrals_duplicate_idx" ON "b2b_referrals" USING btree ("duplicate_of_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_referrers_email_unique" ON "partner_referrers" USING btree ("email");--> statement-breakpoint
CREATE INDEX "partner_referrers_customer_idx" ON "partner_referrers" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "partner_status_tokens_referrer_idx" ON "partner_status_tokens" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "practice_identities_referral_idx" ON "practice_identities" USING btree ("referral_id");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_payments_idempotency_unique" ON "b2b_payments" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "b2b_payments_referral_idx" ON "b2b_payments" USING btree ("referral_id","received_on");--> statement-breakpoint
CREATE INDEX "b2b_payout_item_rewards_item_idx" ON "b2b_payout_item_rewards" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_payout_items_run_referrer_unique" ON "b2b_payout_items" USING btree ("run_id","referrer_id");--> statement-breakpoint
CREATE INDEX "b2b_payout_items_referrer_idx" ON "b2b_payout_items" USING btree ("referrer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_payout_runs_month_unique" ON "b2b_payout_runs" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_rewards_one_flat_per_practice" ON "b2b_rewards" USING btree ("referral_id") WHERE "b2b_rewards"."plan" = 'flat_credit';--> statement-breakpoint
CREATE UNIQUE INDEX "b2b_rewards_one_share_per_payment" ON "b2b_rewards" USING btree ("payment_id") WHERE "b2b_rewards"."plan" = 'recurring_share';--> statement-breakpoint
CREATE INDEX "b2b_rewards_referrer_idx" ON "b2b_rewards" USING btree ("referrer_id","earned_on");--> statement-breakpoint
CREATE INDEX "b2b_rewards_earned_idx" ON "b2b_rewards" USING btree ("earned_on");--> statement-breakpoint
CREATE INDEX "outbox_messages_time_idx" ON "outbox_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_messages_clinic_idx" ON "outbox_messages" USING btree ("clinic_id");--> statement-breakpoint
CREATE INDEX "outbox_messages_referral_idx" ON "outbox_messages" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "outbox_messages_referrer_idx" ON "outbox_messages" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "rate_limits_window_idx" ON "rate_limits" USING btree ("window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_unique" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_one_open_per_email" ON "invitations" USING btree ("clinic_id","email") WHERE "invitations"."accepted_at" is null and "invitations"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "invitations_clinic_time_idx" ON "invitations" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "invitations_invited_by_idx" ON "invitations" USING btree ("invited_by_id");--> statement-breakpoint
CREATE INDEX "invitations_accepted_user_idx" ON "invitations" USING btree ("accepted_user_id");