import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";

export const id = () => uuid().primaryKey().defaultRandom();

/**
 * The transaction's clock (migration 0021): `now()`, unless the transaction set another moment
 * with `atTime` (server/kernel/clock.ts), as the demo's story does to write its 90 days.
 */
export const clockNow = sql`app_now()`;

export const createdAt = () => timestamp({ withTimezone: true }).notNull().default(clockNow);

export const timestamps = {
  createdAt: createdAt(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .default(clockNow)
    .$onUpdate(() => clockNow),
};
