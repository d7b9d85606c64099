import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { DEMO_EMAILS } from "./accounts";

/** Item 20: accounts with published passwords exist here, so nothing real belongs in this database. */
export async function demoAccountsExist(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(inArray(users.email, [...DEMO_EMAILS])).limit(1);
  return !!row;
}

/** What the banner says, on the app's pages and on the plain-HTML landing alike. */
export const DEMO_BANNER_TEXT = "Demo data: these accounts use published passwords. Don't enter real patient information.";

// The banner is cosmetic: a few seconds' staleness spares the busiest pages a query per request.
const BANNER_TTL_MS = 10_000;
let cached: { until: number; shown: Promise<boolean> } | undefined;

/** Whether pages show the "demo data" banner: demoAccountsExist, remembered for a few seconds. */
export function demoBannerShown(db: Db, now = Date.now()): Promise<boolean> {
  if (!cached || cached.until <= now) {
    const shown = demoAccountsExist(db).catch(() => false);
    cached = { until: now + BANNER_TTL_MS, shown };
  }
  return cached.shown;
}
