import { integer, pgTable, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";

/**
 * Rule A3: probes that prove the workers work. A platform admin (or an operator's check) sends one
 * through the queue; the worker that takes it stamps it. `attempts` counts every time a worker ran
 * it, so a job worked twice shows; `workedAt` is set once, however often it runs.
 */
export const queueProbes = pgTable("queue_probes", {
  id: id(),
  createdAt: createdAt(),
  workedAt: timestamp({ withTimezone: true }),
  attempts: integer().notNull().default(0),
});
