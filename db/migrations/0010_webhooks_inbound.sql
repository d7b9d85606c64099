CREATE TYPE "public"."inbound_event_status" AS ENUM('received', 'processed', 'ignored', 'failed');--> statement-breakpoint
CREATE TYPE "public"."inbound_provider" AS ENUM('stripe', 'calendly', 'typeform');--> statement-breakpoint
CREATE TABLE "inbound_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid,
	"provider" "inbound_provider" NOT NULL,
	"signing_secret_sealed" text NOT NULL,
	"field_mapping" jsonb,
	"bad_signatures" integer DEFAULT 0 NOT NULL,
	"last_bad_signature_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"clinic_id" uuid,
	"provider" "inbound_provider" NOT NULL,
	"provider_event_id" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb,
	"status" "inbound_event_status" DEFAULT 'received' NOT NULL,
	"outcome" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"payload_purged_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "order_items" ALTER COLUMN "service_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_endpoints" ADD CONSTRAINT "inbound_endpoints_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD CONSTRAINT "inbound_events_endpoint_id_inbound_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."inbound_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD CONSTRAINT "inbound_events_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_endpoints_clinic_idx" ON "inbound_endpoints" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_provider_event_unique" ON "inbound_events" USING btree ("endpoint_id","provider_event_id");--> statement-breakpoint
CREATE INDEX "inbound_events_clinic_time_idx" ON "inbound_events" USING btree ("clinic_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_events_failed_idx" ON "inbound_events" USING btree ("clinic_id","received_at") WHERE "inbound_events"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "inbound_events_purge_idx" ON "inbound_events" USING btree ("received_at") WHERE "inbound_events"."payload" is not null;