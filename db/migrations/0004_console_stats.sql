CREATE TABLE "daily_referral_stats" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"sign_ups" integer DEFAULT 0 NOT NULL,
	"qualified" integer DEFAULT 0 NOT NULL,
	"rewards_issued_cents" integer DEFAULT 0 NOT NULL,
	"rewards_redeemed_cents" integer DEFAULT 0 NOT NULL,
	"revenue_cents" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_referral_stats_clinic_id_day_channel_pk" PRIMARY KEY("clinic_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "daily_referrer_stats" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"referrer_id" uuid NOT NULL,
	"qualified" integer NOT NULL,
	CONSTRAINT "daily_referrer_stats_clinic_id_day_referrer_id_pk" PRIMARY KEY("clinic_id","day","referrer_id")
);
--> statement-breakpoint
CREATE TABLE "referrer_totals" (
	"clinic_id" uuid NOT NULL,
	"referrer_id" uuid NOT NULL,
	"qualified" integer NOT NULL,
	CONSTRAINT "referrer_totals_clinic_id_referrer_id_pk" PRIMARY KEY("clinic_id","referrer_id")
);
--> statement-breakpoint
CREATE TABLE "stats_rollups" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"rolled_up_through" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "daily_referral_stats" ADD CONSTRAINT "daily_referral_stats_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_referrer_stats" ADD CONSTRAINT "daily_referrer_stats_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_referrer_stats" ADD CONSTRAINT "daily_referrer_stats_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrer_totals" ADD CONSTRAINT "referrer_totals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrer_totals" ADD CONSTRAINT "referrer_totals_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_rollups" ADD CONSTRAINT "stats_rollups_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "daily_referrer_stats_referrer_idx" ON "daily_referrer_stats" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "referrer_totals_rank_idx" ON "referrer_totals" USING btree ("clinic_id","qualified" DESC NULLS LAST,"referrer_id");--> statement-breakpoint
CREATE INDEX "referrer_totals_referrer_idx" ON "referrer_totals" USING btree ("referrer_id");--> statement-breakpoint
CREATE INDEX "orders_clinic_paid_idx" ON "orders" USING btree ("clinic_id","paid_at") WHERE "orders"."paid_at" is not null;