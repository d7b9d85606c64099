ALTER TYPE "public"."outbox_status" ADD VALUE 'held';--> statement-breakpoint
CREATE TABLE "clinic_sending_days" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "clinic_sending_days_clinic_id_day_pk" PRIMARY KEY("clinic_id","day")
);
--> statement-breakpoint
CREATE TABLE "baa_acceptances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"version" text NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT app_now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "self_signed_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "sending_budget_per_day" integer DEFAULT 200 NOT NULL;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "slack_baa_covered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbound_endpoints" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbound_endpoints" ADD COLUMN "previous_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "inbound_endpoints" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbound_endpoints" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clinic_sending_days" ADD CONSTRAINT "clinic_sending_days_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baa_acceptances" ADD CONSTRAINT "baa_acceptances_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baa_acceptances" ADD CONSTRAINT "baa_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "baa_acceptances_clinic_idx" ON "baa_acceptances" USING btree ("clinic_id","accepted_at");--> statement-breakpoint
CREATE INDEX "baa_acceptances_user_idx" ON "baa_acceptances" USING btree ("user_id");--> statement-breakpoint
-- Issue 19: practices that signed themselves up before this migration, known by their audit entry.
UPDATE "clinics" SET "self_signed_up_at" = "clinics"."created_at"
  FROM "audit_log"
  WHERE "audit_log"."clinic_id" = "clinics"."id" AND "audit_log"."action" = 'clinic.create' AND "audit_log"."after"->>'source' = 'self_sign_up';
--> statement-breakpoint
-- Issue 19: partner-program intake from form tools belongs to the platform alone; a clinic's Typeform endpoints stop.
UPDATE "inbound_endpoints" SET "deleted_at" = now(), "paused_at" = now() WHERE "provider" = 'typeform' AND "clinic_id" IS NOT NULL AND "deleted_at" IS NULL;
--> statement-breakpoint
-- Rule C4 with issue 19's one exception: nobody edits or deletes the audit log, except that an
-- erasure (server/services/erasure.ts, inside a transaction that set app.erasure) may replace free
-- text naming the erased person with '[erased]'. Who acted, what, on what and when never change.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('app.erasure', true) = 'on'
     AND NEW.id = OLD.id
     AND NEW.clinic_id IS NOT DISTINCT FROM OLD.clinic_id
     AND NEW.actor_kind = OLD.actor_kind
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.actor_label IS NOT DISTINCT FROM OLD.actor_label
     AND NEW.action = OLD.action
     AND NEW.target_type = OLD.target_type
     AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id
     AND NEW.created_at = OLD.created_at
     AND (NEW.reason IS NOT DISTINCT FROM OLD.reason OR NEW.reason = '[erased]')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
