-- Databases seeded before demo_account existed: mark the seed's own accounts (db/seed.ts DEMO_EMAILS).
UPDATE "users" SET "demo_account" = true
WHERE "email" IN ('admin@demo.test', 'staff@demo.test', 'patient@demo.test', 'patient2@demo.test', 'admin@second.test', 'patient@second.test', 'platform@demo.test');
