CREATE TABLE "point_conversion_settings" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"points" integer NOT NULL,
	"credit_cents" integer NOT NULL,
	"minimum_points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_conversion_positive" CHECK ("point_conversion_settings"."points" > 0 and "point_conversion_settings"."credit_cents" > 0),
	CONSTRAINT "point_conversion_minimum" CHECK ("point_conversion_settings"."minimum_points" >= "point_conversion_settings"."points")
);
--> statement-breakpoint
CREATE TABLE "point_conversions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"credit_cents" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_conversions_positive" CHECK ("point_conversions"."points" > 0 and "point_conversions"."credit_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "point_conversion_settings" ADD CONSTRAINT "point_conversion_settings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_conversions" ADD CONSTRAINT "point_conversions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_conversions" ADD CONSTRAINT "point_conversions_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "point_conversions_key" ON "point_conversions" USING btree ("patient_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "point_conversions_clinic_idx" ON "point_conversions" USING btree ("clinic_id","created_at");