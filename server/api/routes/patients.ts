import { z } from "zod";
import { createPatientBody, searchPatientsBody } from "@/server/schemas/api";
import { apiPatient, createApiPatient, patientReferralLink, searchPatients } from "@/server/services/patients/api";
import { balances, ledgerHistory } from "@/server/services/rewards/ledger";
import { patientRewards } from "@/server/services/rewards/patient-rewards";
import { route } from "../route";
import { balanceOut, ledgerOut, patientListOut, patientOut, referralLinkOut, rewardsOut } from "./outputs";

const patientParams = z.object({ id: z.uuid("That patient id is not valid.") });
const example = { id: "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f", firstName: "Jane", lastName: "Doe", email: "jane@example.com", externalId: "PMS-1042", createdAt: "2026-12-01T12:00:00.000Z" };
const patientTarget = { type: "patient", id: (p: { id: string }) => p.id };

export const patientRoutes = [
  route({
    method: "POST",
    path: "/patients",
    operationId: "createPatient",
    summary: "Create a patient",
    description: "The patient gets their referral code at once (rule P2). An email or external id the clinic already has answers 409 naming the field.",
    tag: "Patients",
    audience: "clinic",
    scope: "write",
    idempotency: "required",
    body: createPatientBody,
    bodyExample: { firstName: "Jane", lastName: "Doe", email: "jane@example.com", externalId: "PMS-1042" },
    status: 201,
    response: patientOut,
    responseExample: example,
    errors: [400, 409, 422],
    target: { type: "patient", id: (_p, r) => r.id },
    handler: ({ service, body }) => createApiPatient(service, body),
  }),
  route({
    method: "POST",
    path: "/patients/search",
    operationId: "searchPatients",
    summary: "Find patients by email, phone or external id",
    description: "Exact matches. Personal data goes in the body, never in a URL (rule N3).",
    tag: "Patients",
    audience: "clinic",
    scope: "read",
    idempotency: "optional",
    body: searchPatientsBody,
    bodyExample: { email: "jane@example.com" },
    status: 200,
    response: patientListOut,
    responseExample: { data: [example] },
    errors: [400],
    target: { type: "patient" },
    handler: async ({ service, body }) => ({ data: await searchPatients(service, body) }),
  }),
  route({
    method: "GET",
    path: "/patients/{id}",
    operationId: "getPatient",
    summary: "Get a patient",
    tag: "Patients",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: patientParams,
    status: 200,
    response: patientOut,
    responseExample: example,
    errors: [400, 404],
    target: patientTarget,
    handler: ({ service, params }) => apiPatient(service, { patientId: params.id }),
  }),
  route({
    method: "GET",
    path: "/patients/{id}/referral-link",
    operationId: "getReferralLink",
    summary: "A patient's referral code and link",
    description: "Answered only once the patient accepted the current program terms (rule P14); before that, 412.",
    tag: "Patients",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: patientParams,
    status: 200,
    response: referralLinkOut,
    responseExample: { code: "ACDEFGH347", url: "https://app.example/r/ACDEFGH347", termsVersion: 1 },
    errors: [400, 404, 412],
    target: patientTarget,
    handler: ({ service, params }) => patientReferralLink(service, { patientId: params.id }),
  }),
  route({
    method: "GET",
    path: "/patients/{id}/balance",
    operationId: "getBalance",
    summary: "A patient's credit and points balance",
    description: "Derived from the append-only ledger (rule N2).",
    tag: "Rewards",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: patientParams,
    status: 200,
    response: balanceOut,
    responseExample: { creditCents: 5000, points: 0 },
    errors: [400, 404],
    target: patientTarget,
    handler: async ({ service, params }) => {
      await apiPatient(service, { patientId: params.id });
      const { credit, points } = await balances(service, { patientId: params.id });
      return { creditCents: credit, points };
    },
  }),
  route({
    method: "GET",
    path: "/patients/{id}/ledger",
    operationId: "listLedger",
    summary: "A patient's ledger entries, newest first",
    tag: "Rewards",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: patientParams,
    status: 200,
    response: ledgerOut,
    responseExample: { data: [{ id: example.id, unit: "credit", kind: "grant", amountCents: 5000, memo: "Referral reward", expiresAt: null, createdAt: example.createdAt }] },
    errors: [400, 404],
    target: patientTarget,
    handler: async ({ service, params }) => {
      await apiPatient(service, { patientId: params.id });
      return { data: await ledgerHistory(service, { patientId: params.id }) };
    },
  }),
  route({
    method: "GET",
    path: "/patients/{id}/rewards",
    operationId: "listRewards",
    summary: "A patient's rewards",
    tag: "Rewards",
    audience: "clinic",
    scope: "read",
    idempotency: "none",
    params: patientParams,
    status: 200,
    response: rewardsOut,
    responseExample: { data: [{ id: example.id, referralId: example.id, side: "referrer", kind: "credit", amount: 5000, status: "released", createdAt: example.createdAt }] },
    errors: [400, 404],
    target: patientTarget,
    handler: async ({ service, params }) => {
      await apiPatient(service, { patientId: params.id });
      return { data: (await patientRewards(service, { patientId: params.id })).rewards };
    },
  }),
];
