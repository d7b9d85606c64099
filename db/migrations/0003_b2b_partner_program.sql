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
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_referrer_id_partner_referrers_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."partner_referrers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
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
CREATE INDEX "outbox_messages_referral_idx" ON "outbox_messages" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "outbox_messages_referrer_idx" ON "outbox_messages" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "rate_limits_window_idx" ON "rate_limits" USING btree ("window_start");