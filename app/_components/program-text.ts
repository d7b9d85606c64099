import type { QUALIFYING_EVENTS } from "@/db/schema/program-versions";

/** What earns a reward, in a patient's words (rule P7). */
export const QUALIFYING_TEXT: Record<(typeof QUALIFYING_EVENTS)[number], string> = {
  first_paid_order: "paid visit",
  first_booked_appointment: "booked appointment",
  first_attended_appointment: "completed appointment",
};
