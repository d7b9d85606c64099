ALTER TABLE "activity_events" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "b2b_events" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_event_id_domain_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."domain_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "b2b_events" ADD CONSTRAINT "b2b_events_event_id_domain_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."domain_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_events_event_idx" ON "activity_events" USING btree ("event_id") WHERE "activity_events"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "b2b_events_event_idx" ON "b2b_events" USING btree ("event_id");