CREATE TABLE "sign_in_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_key" text NOT NULL,
	"network_key" text,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "users_email_unique";--> statement-breakpoint
CREATE INDEX "sign_in_failures_email_idx" ON "sign_in_failures" USING btree ("email_key","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_network_idx" ON "sign_in_failures" USING btree ("network_key","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_time_idx" ON "sign_in_failures" USING btree ("failed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_clinic_email_unique" ON "users" USING btree ("clinic_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_member_email_unique" ON "users" USING btree ("email") WHERE "users"."role" <> 'patient';--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");