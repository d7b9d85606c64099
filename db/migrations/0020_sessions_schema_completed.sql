-- The accounts-and-sessions schema as it landed in 0006_crazy_tag lacked what the sessions work
-- added before 0006 was (wrongly) regenerated in place: the sign-in throttle's table, the second
-- factor's wrong-code counters, and the per-clinic email indexes. This adds them as a new
-- migration. Every statement is idempotent: databases built from the regenerated 0006 have them.
CREATE TABLE IF NOT EXISTS "sign_in_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_key" text NOT NULL,
	"network_key" text,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "two_factor_secrets" ADD COLUMN IF NOT EXISTS "failed_codes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "two_factor_secrets" ADD COLUMN IF NOT EXISTS "last_failed_at" timestamp with time zone;--> statement-breakpoint
DROP INDEX IF EXISTS "users_email_unique";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sign_in_failures_email_idx" ON "sign_in_failures" USING btree ("email_key","failed_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sign_in_failures_network_idx" ON "sign_in_failures" USING btree ("network_key","failed_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sign_in_failures_time_idx" ON "sign_in_failures" USING btree ("failed_at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "users_clinic_email_unique" ON "users" USING btree ("clinic_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "users_member_email_unique" ON "users" USING btree ("email") WHERE "users"."role" <> 'patient';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_email_idx" ON "users" USING btree ("email");
