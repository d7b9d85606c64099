-- Branch `scheduler` (issue 9, the scheduler, rule A6): hand-written SQL to re-create after the generated migration
-- (which adds clinics.time_zone and the scheduled_runs table with UNIQUE NULLS NOT DISTINCT (name, clinic_id, period)).

-- Backfill: stored dashboard days were UTC days; clinics now count in their own zone (default America/New_York).
-- Drop the stored days so the next rollup counts every day again, whole, in the clinic's zone.
DELETE FROM "daily_referral_stats";
DELETE FROM "daily_referrer_stats";
DELETE FROM "referrer_totals";
-- The watermark goes back to "never rolled up", so the first rollup starts from the clinic's first day with data.
UPDATE "stats_rollups" SET "rolled_up_through" = NULL;
