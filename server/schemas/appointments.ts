import { z } from "zod";
import { APPOINTMENT_STATUSES } from "@/db/schema";
import { idOutput, timestamp } from "./output-fields";

/** Rule P7: an appointment as REST answers it; the console's list of a patient's appointments leaves out the patient. */
export const appointmentOutput = z
  .object({ id: idOutput, patientId: z.uuid(), status: z.enum(APPOINTMENT_STATUSES), scheduledFor: timestamp, attendedAt: timestamp.nullable() })
  .meta({ id: "Appointment" });
