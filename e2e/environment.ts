/**
 * What the e2e run and the app it starts share: ports and the platform's time zone. Read by
 * playwright.config.ts, the mail sink (e2e/mail-sink.ts) and the specs.
 */

// E2E_PORT lets two checkouts on one machine run their suites side by side.
export const PORT = Number(process.env.E2E_PORT ?? 3210);
/** The app sends mail here: the one SMTP sink of the run (e2e/mail-sink.ts). */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? PORT + 1);
/** Where specs read what the sink received (`mailbox` in e2e/fixtures.ts). */
export const MAIL_INBOX_PORT = Number(process.env.E2E_MAIL_INBOX_PORT ?? PORT + 2);
/** The platform's time zone (PLATFORM_TIME_ZONE): its "today" is the date a platform admin writes. */
export const PLATFORM_TIME_ZONE = process.env.E2E_PLATFORM_TIME_ZONE ?? "America/New_York";

/** Today's date where the platform is, as YYYY-MM-DD. */
export function platformToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: PLATFORM_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
