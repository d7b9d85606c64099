CREATE TYPE "public"."run_name" AS ENUM('reconcile', 'daily', 'weekly', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "scheduled_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" "run_name" NOT NULL,
	"clinic_id" uuid,
	"period" text NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"runner_id" uuid,
	"last_error" text,
	"result" jsonb,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "scheduled_runs_once" UNIQUE NULLS NOT DISTINCT("name","clinic_id","period")
);
--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "time_zone" text DEFAULT 'America/New_York' NOT NULL;--> statement-breakpoint
ALTER TABLE "scheduled_runs" ADD CONSTRAINT "scheduled_runs_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scheduled_runs_clinic_idx" ON "scheduled_runs" USING btree ("clinic_id","queued_at");