import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clockNow } from "@/db/schema/columns";

export { clockNow };

/**
 * Runs `work` in one transaction whose clock reads `at`: every row it writes is stamped then
 * (column defaults and `clockNow` read `app_now()`), and the rules that measure time (windows,
 * velocity, expiry, yearly caps) measure from it. The setting ends with the transaction. The
 * demo's story tells its 90 days this way, through the same services a clinic uses.
 */
export async function atTime<T>(db: Db, at: Date, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.now', ${at.toISOString()}, true)`);
    const result = await work(tx);
    // Inside a longer transaction (a savepoint), what follows reads the real clock again.
    await tx.execute(sql`select set_config('app.now', '', true)`);
    return result;
  });
}

/** The transaction's clock as a Date, for times computed in code (an expiry date, a reminder). */
export async function currentTime(tx: Db): Promise<Date> {
  const rows = await tx.execute<{ now: string | Date }>(sql`select app_now() as now`);
  const value = (Array.isArray(rows) ? rows[0] : (rows as unknown as { rows: { now: string | Date }[] }).rows[0])?.now;
  if (value === undefined) throw new Error("the clock returned nothing");
  return new Date(value);
}
