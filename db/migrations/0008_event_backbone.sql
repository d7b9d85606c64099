CREATE TYPE "public"."actor_kind" AS ENUM('staff', 'patient', 'system', 'webhook', 'apiKey');--> statement-breakpoint
CREATE TABLE "domain_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"actor_kind" "actor_kind" NOT NULL,
	"actor_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "actor_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_kind" "actor_kind" DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_label" text;--> statement-breakpoint
ALTER TABLE "domain_events" ADD CONSTRAINT "domain_events_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_events_clinic_time_idx" ON "domain_events" USING btree ("clinic_id","created_at","id");--> statement-breakpoint
CREATE INDEX "domain_events_type_time_idx" ON "domain_events" USING btree ("type","created_at");--> statement-breakpoint
CREATE INDEX "domain_events_platform_time_idx" ON "domain_events" USING btree ("created_at") WHERE "domain_events"."clinic_id" is null;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_named" CHECK (("audit_log"."actor_kind" in ('staff', 'patient')) = ("audit_log"."actor_id" is not null) and ("audit_log"."actor_id" is not null or "audit_log"."actor_label" is not null));