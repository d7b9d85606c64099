CREATE TYPE "public"."test_payment_status" AS ENUM('open', 'succeeded', 'failed', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."partner_status_token_scope" AS ENUM('referrer', 'submission');--> statement-breakpoint
CREATE TABLE "test_payment_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" "test_payment_status" DEFAULT 'open' NOT NULL,
	"last4" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "balance_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"unit" "ledger_unit" NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "rewards_one_per_milestone";--> statement-breakpoint
ALTER TABLE "partner_referrers" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD COLUMN "scope" "partner_status_token_scope" DEFAULT 'referrer' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD COLUMN "referral_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "sealed_link" text;--> statement-breakpoint
ALTER TABLE "balance_adjustments" ADD CONSTRAINT "balance_adjustments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balance_adjustments" ADD CONSTRAINT "balance_adjustments_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balance_adjustments" ADD CONSTRAINT "balance_adjustments_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "test_payment_attempts_key_unique" ON "test_payment_attempts" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "balance_adjustments_idempotency_unique" ON "balance_adjustments" USING btree ("clinic_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "balance_adjustments_patient_idx" ON "balance_adjustments" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "balance_adjustments_actor_idx" ON "balance_adjustments" USING btree ("actor_id");--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD CONSTRAINT "partner_status_tokens_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_pending_idx" ON "orders" USING btree ("id") WHERE "orders"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_one_live_milestone" ON "rewards" USING btree ("patient_id","milestone_threshold") WHERE "rewards"."side" = 'milestone' and "rewards"."status" in ('held', 'released');--> statement-breakpoint
CREATE INDEX "partner_status_tokens_referral_idx" ON "partner_status_tokens" USING btree ("referral_id");--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD CONSTRAINT "partner_status_tokens_submission_has_referral" CHECK ("partner_status_tokens"."scope" <> 'submission' or "partner_status_tokens"."referral_id" is not null);