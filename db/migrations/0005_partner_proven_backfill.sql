-- Issue 7 item 8: a referrer's payouts now wait until their address is proven. Referrers the
-- platform has already paid (a payout item marked paid with a reference) are known to it, so
-- they keep being paid; everyone else proves their address through an emailed status link.
UPDATE "partner_referrers" r
SET "email_verified_at" = now()
WHERE r."email_verified_at" IS NULL
  AND EXISTS (SELECT 1 FROM "b2b_payout_items" i WHERE i."referrer_id" = r."id" AND i."status" = 'paid');
