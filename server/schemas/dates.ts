import { z } from "zod";

// Dates the database can hold and people mean: PostgreSQL refuses year 0, nobody files 10000.
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

/** A real calendar date as YYYY-MM-DD: 2025-02-31 or 2025-13-01 is refused with a message, never sent on. */
export function calendarDate(label: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label}: enter a date as YYYY-MM-DD, like 2025-01-31.`, abort: true })
    .refine((v) => {
      const year = Number(v.slice(0, 4));
      return year >= FIRST_YEAR && year <= LAST_YEAR;
    }, { message: `${label}: enter a year between ${FIRST_YEAR} and ${LAST_YEAR}.`, abort: true })
    .refine(isCalendarDate, `${label}: that date is not on the calendar. Check the day and the month.`);
}

function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2025-02-31 over to March; a real date comes back as itself.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
