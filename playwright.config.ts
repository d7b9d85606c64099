import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { PLATFORM_TIME_ZONE, PORT, SMTP_PORT } from "./e2e/environment";

const baseURL = `http://127.0.0.1:${PORT}`;
const onPostgres = !!process.env.DATABASE_URL;
// A fresh embedded database each run; the app seeds an empty one on its first start.
const PGLITE_DIR = ".data/e2e-pglite";

const start = `npm run build && npx next start -p ${PORT} -H 127.0.0.1`;
const server = onPostgres
  ? // CI gives a fresh, empty database: migrate and seed it (idempotent), then serve.
    `npx tsx scripts/seed.ts --demo && ${start}`
  : `node -e "require('node:fs').rmSync('${PGLITE_DIR}', { recursive: true, force: true })" && ${start}`;

export default defineConfig({
  testDir: "e2e",
  // The run's one SMTP sink, which the app sends to and every spec reads (e2e/mail-sink.ts).
  globalSetup: "./e2e/mail-sink.ts",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores: one worker for the tests, the rest for the server and the browser.
  workers: 1,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium where there is one; elsewhere Playwright's own (scripts/ensure-browser.mjs).
      executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "public",
      testMatch: /public\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Pixel 7"], storageState: { cookies: [], origins: [] } },
    },
    {
      name: "patient",
      testMatch: /patient\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Pixel 7"], storageState: "e2e/.auth/patient.json" },
    },
    {
      name: "staff",
      testMatch: /staff\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], storageState: "e2e/.auth/staff.json" },
    },
  ],
  webServer: {
    command: server,
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      // A test-only secret: `next start` on DATABASE_URL refuses to run without one.
      AUTH_SECRET: "e2e-only-secret-not-for-production-0123456789",
      // A test-only key: production on DATABASE_URL refuses to store webhook secrets without one (issue 12).
      ENCRYPTION_KEY: "e2e-only-encryption-key-not-for-production-0123456789",
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      SMTP_FROM: "Referrals <no-reply@e2e.test>",
      // Said, not assumed: specs write the platform's dates (e2e/environment.ts).
      PLATFORM_TIME_ZONE,
      // Rule A4: webhook endpoints on loopback are refused except for listed hosts; the webhook spec's receiver runs on 127.0.0.1.
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      ...(onPostgres ? {} : { PGLITE_DIR }),
    },
  },
});
