import { z } from "zod";
import { calendarDate } from "./dates";
import { searchField } from "./filters";
import { CLICK_CHANNELS, EVENT_TYPES } from "@/db/schema/events";

/** Click channels as the activity filter offers them; "direct" is a link opened without `?via=`. */
export const ACTIVITY_CHANNELS = [...CLICK_CHANNELS, "direct"] as const;

const day = calendarDate;

/** Where a page of the timeline starts: an event's exact time (microseconds) and id. */
export const activityCursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z~[0-9a-f-]{36}$/, "That page link is no longer valid. Start again from the newest events.")
  // Issue 19 item 10: the shape lets 36 dashes or a 13th month through, which the database refuses.
  .refine((cursor) => {
    const [at = "", id = ""] = cursor.split("~");
    const millis = Date.parse(`${at.slice(0, 23)}Z`);
    return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 23) === at.slice(0, 23) && z.uuid().safeParse(id).success;
  }, "That page link is no longer valid. Start again from the newest events.");

/** Rule C2: the activity log's filters, shared by the filter form and the procedure. */
export const activityInput = z
  .object({
    types: z.array(z.enum(EVENT_TYPES, { error: "Choose event types from the list." })).max(EVENT_TYPES.length).default([]),
    patientId: z.uuid("That patient link is not valid.").optional(),
    channel: z.enum(ACTIVITY_CHANNELS, { error: "Choose a channel from the list." }).optional(),
    from: day("From").optional(),
    to: day("To").optional(),
    search: searchField,
    cursor: activityCursor.optional(),
    direction: z.enum(["older", "newer"]).default("older"),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((input) => !input.from || !input.to || input.from <= input.to, { message: "The From date must be on or before the To date.", path: ["to"] });
export type ActivityInput = z.input<typeof activityInput>;
export type ActivityQuery = z.output<typeof activityInput>;
