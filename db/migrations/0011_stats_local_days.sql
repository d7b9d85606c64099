
-- Backfill: stored dashboard days were UTC days; clinics now count in their own zone (default America/New_York).
-- Drop the stored days so the next rollup counts every day again, whole, in the clinic's zone.
DELETE FROM "daily_referral_stats";--> statement-breakpoint
DELETE FROM "daily_referrer_stats";--> statement-breakpoint
DELETE FROM "referrer_totals";--> statement-breakpoint
-- The watermark goes back to "never rolled up", so the first rollup starts from the clinic's first day with data.
UPDATE "stats_rollups" SET "rolled_up_through" = NULL;
