import { z } from "zod";
import { statusTokenInput, submitReferralInput } from "@/server/schemas/b2b";
import { partnerStatusReferralOutput } from "@/server/schemas/b2b-outputs";
import { statusByToken } from "@/server/services/partners/status";
import { submitReferral } from "@/server/services/partners/submissions";
import { appUrl } from "@/server/kernel/app-url";
import { statusPath } from "@/server/services/partners/tokens";
import { route } from "../route";

const submissionOut = z.object({ duplicate: z.boolean(), statusToken: z.string(), statusUrl: z.string() }).meta({ id: "PartnerSubmissionReceipt" });
const statusOut = z
  .object({
    referrals: z.array(partnerStatusReferralOutput.pick({ id: true, practiceName: true, status: true, statusText: true, reason: true, submittedAt: true })),
  })
  .meta({ id: "PartnerStatus" });

export const partnerRoutes = [
  route({
    method: "POST",
    path: "/partner/submissions",
    operationId: "submitPartnerReferral",
    summary: "Submit a practice referral (platform keys)",
    description: "Rule B1, B2: the same checks as the public form; the first submission of a practice takes precedence, later ones are duplicates. Answers the private status token (rule B5).",
    tag: "Partner program",
    audience: "platform",
    scope: "write",
    idempotency: "required",
    answerHoldsSecret: true,
    body: submitReferralInput,
    bodyExample: {
      referrerName: "Dana Whitfield",
      referrerEmail: "dana@brightsmiles.example",
      referrerPhone: "(415) 555-0134",
      referrerOrganization: "Bright Smiles Dental",
      relationship: "practice_staff",
      practiceName: "Lakeside Family Dental",
      contactName: "Dr. Priya Shah",
      practiceEmail: "office@lakeside.example",
      practicePhone: "(212) 555-0199",
      website: "https://www.lakeside.example/",
      addressLine: "12 Harbor Road",
      city: "Springfield",
      region: "IL",
      postalCode: "62704",
      country: "US",
      ageConfirmed: true,
      noConflictDeclared: true,
      termsAccepted: true,
      idempotencyKey: "form-7f3a9c21",
    },
    status: 201,
    response: submissionOut,
    responseExample: { duplicate: false, statusToken: "b2b_3Jd…", statusUrl: "https://app.example/partners/status/b2b_3Jd…" },
    errors: [400, 403, 422],
    target: { type: "b2b_referral" },
    handler: async ({ service, body }) => {
      const { token, duplicate } = await submitReferral(service, { ...body, ipHash: null, sessionUserId: null });
      return { duplicate, statusToken: token, statusUrl: appUrl(statusPath(token)) };
    },
  }),
  route({
    method: "POST",
    path: "/partner/submissions/status",
    operationId: "partnerStatus",
    summary: "A submission's status, by its private token (platform keys)",
    description: "Rule B3, B5. The token goes in the body, never in a URL.",
    tag: "Partner program",
    audience: "platform",
    scope: "read",
    idempotency: "optional",
    body: statusTokenInput,
    bodyExample: { token: "b2b_3Jd…" },
    status: 200,
    response: statusOut,
    responseExample: { referrals: [{ id: "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f", practiceName: "Harbor Dental", status: "under_review", statusText: "Under review", reason: null, submittedAt: "2026-12-01T12:00:00.000Z" }] },
    errors: [400, 404],
    target: { type: "b2b_referral" },
    handler: async ({ service, body }) => ({ referrals: (await statusByToken(service, { token: body.token })).referrals }),
  }),
];
