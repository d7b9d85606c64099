import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/events/actor";

/**
 * What every service is called with, beside its input: the database (or the caller's
 * transaction), who acts, and the clinic the call is about. Routers, REST routes, jobs and
 * inbound events build it once from what the guard authorized; a service never reads a request.
 */
export type ServiceContext = { db: Db; actor: Actor; clinicId: string };

/** A context for work that belongs to no clinic (the platform's partner program, its jobs). */
export type PlatformContext = { db: Db; actor: Actor; clinicId: string | null };

/** True when `db` is already a transaction, so a service can join it instead of nesting. */
export function inTransaction(db: Db): boolean {
  return db instanceof PgTransaction;
}

/**
 * Runs `work` in the caller's transaction when there is one, or in a new one: a service that
 * writes several rows calls this, and stays one transaction however it is composed (rule N4).
 */
export async function withTransaction<C extends { db: Db }, T>(ctx: C, work: (tx: C) => Promise<T>): Promise<T> {
  if (inTransaction(ctx.db)) return work(ctx);
  return ctx.db.transaction((tx) => work({ ...ctx, db: tx as unknown as Db }));
}
