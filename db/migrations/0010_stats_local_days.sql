-- Rule A6: stored dashboard days were UTC days; clinics now count in their own zone (default America/New_York). Drop them so the next rollup counts every day again, whole, in the clinic's zone.
DELETE FROM "daily_referral_stats";--> statement-breakpoint
DELETE FROM "daily_referrer_stats";--> statement-breakpoint
DELETE FROM "referrer_totals";--> statement-breakpoint
UPDATE "stats_rollups" SET "rolled_up_through" = NULL;
