CREATE TYPE "public"."partner_status_token_scope" AS ENUM('referrer', 'submission');--> statement-breakpoint
ALTER TABLE "partner_referrers" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD COLUMN "scope" "partner_status_token_scope" DEFAULT 'referrer' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD COLUMN "referral_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "sealed_link" text;--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD CONSTRAINT "partner_status_tokens_referral_id_b2b_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."b2b_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_status_tokens_referral_idx" ON "partner_status_tokens" USING btree ("referral_id");--> statement-breakpoint
ALTER TABLE "partner_status_tokens" ADD CONSTRAINT "partner_status_tokens_submission_has_referral" CHECK ("partner_status_tokens"."scope" <> 'submission' or "partner_status_tokens"."referral_id" is not null);