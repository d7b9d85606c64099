import { z } from "zod";
import { bookAppointmentBody } from "@/server/schemas/api";
import { appointmentOutput } from "@/server/schemas/appointments";
import { cancelAppointment, recordAttendance, recordBooking } from "@/server/services/orders/appointments";
import { route } from "../route";
import { EXAMPLE_AT as AT, EXAMPLE_ID as ID } from "./examples";

const byId = z.object({ id: z.uuid("That id is not valid.") });
const appointmentExample = { id: ID, patientId: ID, status: "booked", scheduledFor: AT, attendedAt: null };

/** Appointments from the clinic's booking system: a first booked or attended one may qualify a referral (rule P7). */
export const appointmentRoutes = [
  route({
    method: "POST",
    path: "/appointments",
    operationId: "bookAppointment",
    summary: "Record a booked appointment",
    description: "Rule P7: a first booked appointment may qualify a referral, once.",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "required",
    body: bookAppointmentBody,
    bodyExample: { patientId: ID, scheduledFor: AT },
    status: 201,
    response: appointmentOutput,
    responseExample: appointmentExample,
    errors: [400, 404, 409, 422],
    target: { type: "appointment", id: (_p, r) => r.id },
    handler: ({ service, key, body, idempotencyKey }) =>
      recordBooking(service, { patientId: body.patientId, scheduledFor: new Date(body.scheduledFor), idempotencyKey: `api:${key.id}:${idempotencyKey ?? ""}` }),
  }),
  route({
    method: "POST",
    path: "/appointments/{id}/attended",
    operationId: "markAttended",
    summary: "Mark an appointment attended",
    description: "Rule P7: a first attended appointment may qualify a referral, once. Repeating it changes nothing.",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "optional",
    params: byId,
    status: 200,
    response: appointmentOutput,
    responseExample: { ...appointmentExample, status: "attended", attendedAt: AT },
    errors: [400, 404, 422],
    target: { type: "appointment", id: (p) => p.id },
    handler: ({ service, params }) => recordAttendance(service, { appointmentId: params.id }),
  }),
  route({
    method: "POST",
    path: "/appointments/{id}/cancelled",
    operationId: "cancelAppointment",
    summary: "Cancel a booked appointment",
    tag: "Appointments",
    audience: "clinic",
    scope: "write",
    idempotency: "optional",
    params: byId,
    status: 200,
    response: appointmentOutput,
    responseExample: { ...appointmentExample, status: "cancelled" },
    errors: [400, 404, 422],
    target: { type: "appointment", id: (p) => p.id },
    handler: ({ service, params }) => cancelAppointment(service, { appointmentId: params.id }),
  }),
];
