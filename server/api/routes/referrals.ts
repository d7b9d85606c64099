import { z } from "zod";
import { REFERRAL_STATUSES } from "@/db/schema";
import { apiReferral, referralChanges } from "@/server/services/patients/api";
import { route } from "../route";
import { EXAMPLE_AT as AT, EXAMPLE_ID as ID } from "./examples";
import { referralOut, referralPageOut } from "./outputs";

const byId = z.object({ id: z.uuid("That id is not valid.") });
const referralExample = { id: ID, referrerId: ID, refereeId: ID, status: "signed_up", ineligibleReason: null, reviewState: "none", source: "link", createdAt: AT, qualifiedAt: null, updatedAt: AT };

const referralQuery = z.strictObject({
  status: z.enum(REFERRAL_STATUSES).optional(),
  updated_since: z.iso.datetime({ offset: true, error: "updated_since: give an ISO 8601 date-time." }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The clinic's referrals for its own systems: ids and statuses only (rule N3). */
export const referralRoutes = [
  route({
    method: "GET",
    path: "/referrals",
    operationId: "listReferrals",
    summary: "List referrals, oldest change first",
    description: "Filter by status and `updated_since`; follow `nextCursor` (pass it as `cursor`) until it is null. Ids and statuses only (rule N3).",
    tag: "Referrals",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    query: referralQuery,
    status: 200,
    response: referralPageOut,
    responseExample: { data: [referralExample], nextCursor: null },
    errors: [400],
    target: { type: "referral" },
    handler: ({ service, query }) =>
      referralChanges(service, { status: query.status, updatedSince: query.updated_since ? new Date(query.updated_since) : undefined, cursor: query.cursor, limit: query.limit }),
  }),
  route({
    method: "GET",
    path: "/referrals/{id}",
    operationId: "getReferral",
    summary: "Get a referral",
    tag: "Referrals",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: byId,
    status: 200,
    response: referralOut,
    responseExample: referralExample,
    errors: [400, 404],
    target: { type: "referral", id: (p) => p.id },
    handler: ({ service, params }) => apiReferral(service, { referralId: params.id }),
  }),
];
