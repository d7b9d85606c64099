-- Demo accounts publish their addresses and passwords; they count as verified (issue 10).
UPDATE "users" SET "email_verified_at" = now() WHERE "demo_account" AND "email_verified_at" IS NULL;
