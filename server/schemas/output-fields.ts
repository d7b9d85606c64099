import { z } from "zod";

/**
 * Fields of answers that procedures and REST share. A timestamp is a Date to the app's client
 * (superjson) and an ISO 8601 string in REST and its OpenAPI; ids carry an example for the docs.
 */
export const timestamp = z.date().meta({ type: "string", format: "date-time", example: "2026-12-01T12:00:00.000Z" });
export const idOutput = z.uuid().meta({ example: "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f" });
