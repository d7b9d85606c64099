import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";
import { DomainError } from "./errors";

export type Position = { at: string; id: string };

/** created_at to the microsecond, in UTC: a JS Date would drop the microseconds and skip rows. */
export const positionAt = (column: AnyColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at}|${position.id}`).toString("base64url");
}

/** A real instant: the shape alone lets "2024-13-45" through, which the database refuses. */
const realInstant = (at: string) => {
  const millis = Date.parse(`${at.slice(0, 23)}Z`);
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 23) === at.slice(0, 23);
};

export function decodeCursor(cursor: string): Position {
  const [at = "", id = ""] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  // Issue 19 item 10: a cursor is only ever ours; anything else is a clear 400, never a database error.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at) || !realInstant(at) || !z.uuid().safeParse(id).success) {
    throw new DomainError("invalid", "That page link is broken. Go back to the newest entries.");
  }
  return { at, id };
}

/** Rows strictly older than the position, for (created_at desc, id desc) order. */
export function olderThan(createdAt: AnyColumn, id: AnyColumn, position: Position): SQL {
  return sql`(${createdAt}, ${id}) < (${position.at}::timestamptz, ${position.id}::uuid)`;
}

/** A date filter's day boundaries (UTC): from the start of `from` to the end of `to`. */
export function dayBounds(filter: { from?: string; to?: string }) {
  const start = filter.from ? new Date(`${filter.from}T00:00:00.000Z`) : undefined;
  const end = filter.to ? new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 24 * 60 * 60 * 1000) : undefined;
  return { start, end };
}
