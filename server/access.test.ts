import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { staffActor } from "@/server/events/actor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, queryRows } from "@/db/client";
import {
  activityEvents,
  appointments,
  auditLog,
  b2bCustomers,
  b2bProgram,
  b2bProspects,
  b2bReferrals,
  clinics,
  creditLedger,
  domainEvents,
  pointConversions,
  pointConversionSettings,
  invitations,
  orderItems,
  orders,
  programs,
  programVersions,
  queueProbes,
  referralCodes,
  referrals,
  rewards,
  scheduledRuns,
  services,
  termsAcceptances,
  users as usersTable,
  webhookDeliveries,
  webhookEndpoints,
  inboundEndpoints,
  inboundEvents,
} from "@/db/schema";
import { startWorkers } from "@/server/jobs/worker";
import { appRouter } from "@/server/root";
import { paymentProviderFor } from "@/server/services/orders/providers";
import type { Audience } from "@/server/trpc";
import { performRun } from "@/server/jobs/runs";
import { inviteMember } from "@/server/services/clinics/invitations";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { createEndpoint, sendTestEvent } from "@/server/services/integrations/webhooks/endpoints";
import Stripe from "stripe";
import { processInboundEvent } from "@/server/services/integrations/inbound/process";
import { createInboundEndpoint, receiveInbound } from "@/server/services/integrations/inbound/receive";
import { createTestDb } from "@/server/testing/db";
import { deadLetter, FAST_TIMING, setQueuePolicy } from "@/server/testing/queue";
import { practiceReferralInput } from "@/server/testing/b2b";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { BAA_VERSION } from "@/server/schemas/baa";

/**
 * Rule N1 and the role checks, for every procedure of the router: enumerated from the router
 * itself, so a procedure added later is covered (and must be given a sample input below).
 */
type Procedure = { _def: { type: "query" | "mutation"; meta?: { audience?: Audience } } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures);

const NO_ID = "00000000-0000-4000-8000-000000000000";
let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const ids = {
  demoClinic: "",
  demoPatient: "",
  demoReferee: "",
  demoService: "",
  demoReferral: "",
  demoStaff: "",
  demoInvitation: "",
  /** A second referee of the demo patient, with a paid order that released real rewards. */
  demoBuyer: "",
  demoOrder: "",
  demoReward: "",
  demoAppointment: "",
  demoCode: "",
  /** A scheduled run of the demo clinic (rule A6). */
  demoRun: "",
  demoEndpoint: "",
  demoDelivery: "",
  demoInboundEvent: "",
  demoInboundEndpoint: "",
  /** A job of the demo clinic that ran out of retries (rule A3), and one of the platform's own. */
  demoFailedJob: "",
  platformFailedJob: "",
};
const ALLOWED: Record<Audience, readonly string[]> = {
  public: ["anonymous", "patient", "staff", "admin", "platform"],
  account: ["patient", "staff", "admin", "platform"],
  patient: ["patient"],
  staff: ["staff", "admin"],
  admin: ["admin"],
  platform: ["platform"],
};

/** Inputs that point at the demo clinic's rows: another clinic must reach none of them. */
function sampleInput(path: string): unknown {
  const samples: Record<string, unknown> = {
    "account.signUp": undefined,
    "portal.overview": undefined,
    "portal.ledger": undefined,
    "portal.pointConversion": undefined,
    "portal.convertPoints": { points: 100, idempotencyKey: key() },
    "clinic.pointConversion": undefined,
    "clinic.services": undefined,
    "dashboard.checklist": undefined,
    "clinic.clinicProfile": undefined,
    "clinic.baa": undefined,
    "clinic.acceptBaa": { version: BAA_VERSION, accepted: true },
    "clinic.updateProfile": { name: "Taken Over", brandColor: "#000000", addressLine: "", phone: "", website: "" },
    "platform.setClinicPaused": { clinicId: ids.demoClinic, paused: true },
    "platform.setSendingBudget": { clinicId: ids.demoClinic, perDay: 5 },
    "platform.createClinic": { name: "Probe Clinic", slug: `probe-${key().slice(5, 13).toLowerCase()}`, timeZone: "America/Chicago", adminEmail: `probe-${key()}@example.com` },
    "patients.previewCsv": { csv: "first_name,last_name,email,phone,external_id\nA,B,a@b.example,," },
    "patients.importCsv": { csv: "first_name,last_name,email,phone,external_id\nAccess,Probe,access-probe@example.com,," },
    "patients.startImport": { jobId: "00000000-0000-4000-8000-000000000000" },
    "patients.importStatus": { jobId: "00000000-0000-4000-8000-000000000000" },
    "patients.add": { firstName: "Desk", lastName: "Added", email: `desk-${key()}@example.com`, referralCode: ids.demoCode },
    "clinic.createService": { name: "Whitening", description: "", priceCents: 25_000 },
    "clinic.updateService": { serviceId: ids.demoService, name: "Renamed", description: "", priceCents: 100 },
    "clinic.setServiceActive": { serviceId: ids.demoService, active: false },
    "clinic.setPointConversion": { enabled: true, points: 100, creditCents: 500, minimumPoints: 100 },
    "portal.referrals": undefined,
    "portal.catalog": undefined,
    "portal.orders": undefined,
    "portal.checkout": {
      items: [{ serviceId: ids.demoService, quantity: 1 }],
      card: { number: "4242424242424242", expiry: "12/39", cvc: "123" },
      idempotencyKey: key(),
    },
    "clinic.referrals": { page: 1 },
    "clinic.patients": { search: "" },
    "clinic.catalog": undefined,
    "clinic.recordOrder": { patientId: ids.demoReferee, items: [{ serviceId: ids.demoService, quantity: 1 }], idempotencyKey: key() },
    "clinic.program": undefined,
    "clinic.profile": undefined,
    "platform.clinics": undefined,
    "activity.list": { types: [], search: "" },
    "dashboard.stats": { period: "all" },
    "patients.record": { patientId: ids.demoPatient },
    "patients.erase": { patientId: ids.demoPatient, reason: "The patient asked to be erased (N3)." },
    "clinic.updateProgram": {
      enabled: false,
      referrerReward: { kind: "credit", amount: 1 },
      refereeReward: { kind: "credit", amount: 1 },
      qualifyingEvent: "first_paid_order",
      attributionWindowDays: 5,
      maxRewardedPerYear: null,
      maxRewardedLifetime: null,
      maxRewardValuePerYearCents: null,
      milestones: [],
      rewardExpiryDays: null,
      expiryReminderDays: 14,
      holdDays: 0,
      learnMoreUrl: null,
      termsText: "x",
      velocityLimitPerDay: 5,
      governmentItemCapCents: 1500,
      governmentYearCapCents: 7500,
      governmentOverCapAction: "withhold",
    },
    "portal.acceptTerms": { termsVersion: 1 },
    "review.queue": undefined,
    "review.approve": { referralId: ids.demoReferral, reason: "looks fine" },
    "review.reject": { referralId: ids.demoReferral, reason: "looks wrong" },
    "review.rerun": { referralId: ids.demoReferral, reason: "check again" },
    "review.adjust": { patientId: ids.demoPatient, unit: "credit", amount: 500, reason: "goodwill", idempotencyKey: key() },
    "review.attribute": { refereeId: ids.demoReferee, referrerCode: "ACDEFGHJKM", reason: "told us" },
    "review.reverseReward": { rewardId: ids.demoReward, reason: "mistake" },
    "review.rotateCode": { patientId: ids.demoPatient, reason: "leaked" },
    "review.refund": { orderId: ids.demoOrder, reason: "refund" },
    "review.book": { patientId: ids.demoReferee, scheduledFor: new Date(), idempotencyKey: key() },
    "review.attend": { appointmentId: ids.demoAppointment },
    "review.appointments": { patientId: ids.demoReferee },
    "partner.prefill": undefined,
    "partner.submit": practiceReferralInput(),
    "partner.status": { token: "x".repeat(43) },
    "partner.resendLink": { email: "nobody@example.com" },
    "platformB2b.queue": { status: "open" },
    "platformB2b.referral": { referralId: NO_ID },
    "platformB2b.startReview": { referralId: NO_ID },
    "platformB2b.accept": { referralId: NO_ID },
    "platformB2b.reject": { referralId: NO_ID, reason: "Not a fit for us" },
    "platformB2b.markWon": { referralId: NO_ID, contractStart: "2026-01-01", launchDate: "2026-02-01", plan: "Standard", monthlyFeeCents: 30000 },
    "platformB2b.markLost": { referralId: NO_ID, reason: "Chose another vendor" },
    "platformB2b.endContract": { referralId: NO_ID, contractEnd: "2026-06-30" },
    "platformB2b.recordPayment": { referralId: NO_ID, amountCents: 30000, receivedOn: "2026-02-03", periodStart: "2026-02-01", periodEnd: "2026-02-28", idempotencyKey: key() },
    "platformB2b.customers": undefined,
    "platformB2b.saveCustomer": { name: "Access Test Dental", postalCode: "10001", country: "US" },
    "platformB2b.importCustomers": { csv: "name,postalCode,country\nAccess Import,10001,US\n" },
    "platformB2b.prospects": undefined,
    "platformB2b.saveProspect": { name: "Access Prospect", postalCode: "10001", country: "US" },
    "platformB2b.importProspects": { csv: "name,postalCode,country\nAccess Import,10001,US\n" },
    "platformB2b.program": undefined,
    "platformB2b.updateProgram": { rewardPlan: "flat_credit", flatCreditCents: 1, shareBasisPoints: 1, shareMonths: 1, audience: "customers_only" },
    "platformB2b.payoutRuns": undefined,
    "platformB2b.payoutRun": { month: "2026-10" },
    "platformB2b.runPayouts": { month: "2026-10" },
    "platformB2b.approveRun": { month: "2026-10" },
    "platformB2b.markPaid": { itemId: NO_ID, reference: "WIRE-1" },
    "platformB2b.payoutLines": { month: "2026-10" },
    "platformB2b.messages": undefined,
    "team.list": undefined,
    "team.invite": { email: "invitee@example.com", role: "staff" },
    "team.revokeInvitation": { invitationId: ids.demoInvitation, reason: "access test" },
    "team.setRole": { userId: ids.demoStaff, role: "admin", reason: "access test" },
    "team.setDisabled": { userId: ids.demoStaff, disabled: true, reason: "access test" },
    "team.acceptInvitation": undefined,
    "audit.list": { filter: {} },
    "audit.filterOptions": undefined,
    "jobs.failed": undefined,
    "jobs.retry": { jobId: ids.demoFailedJob },
    "jobs.discard": { jobId: ids.demoFailedJob },
    "platformJobs.failed": undefined,
    "platformJobs.retry": { jobId: ids.platformFailedJob },
    "platformJobs.discard": { jobId: ids.platformFailedJob },
    "platformJobs.probe": undefined,
    "platformJobs.latestProbe": undefined,
    "review.patientOrders": { patientId: ids.demoBuyer },
    "integrations.apiKeys": undefined,
    "integrations.createApiKey": { name: "Access test", scope: "read" },
    "integrations.revokeApiKey": { keyId: NO_ID },
    "integrations.platformApiKeys": undefined,
    "integrations.createPlatformApiKey": { name: "Access test", scope: "read" },
    "integrations.revokePlatformApiKey": { keyId: NO_ID },
    "review.patientRewards": { patientId: ids.demoPatient },
    "security.changePassword": { currentPassword: "demo-password-1", newPassword: "another-pass-42" },
    "security.sessions": undefined,
    "security.signOutEverywhere": undefined,
    "security.twoFactor": undefined,
    "security.startTwoFactor": undefined,
    "security.pendingTwoFactor": undefined,
    "security.confirmTwoFactor": { code: "123456" },
    "security.disableTwoFactor": { password: "demo-password-1" },
    "security.staffTwoFactor": undefined,
    "security.setStaffTwoFactor": { required: false },
    "clinic.timeZone": undefined,
    "clinic.setTimeZone": { timeZone: "Pacific/Auckland" },
    "runs.clinic": undefined,
    "runs.platform": undefined,
    ...Object.fromEntries(
      ["integrations", "platformIntegrations"].flatMap((ns) => [
        [`${ns}.webhooks`, undefined],
        [`${ns}.webhook`, { endpointId: ids.demoEndpoint }],
        [`${ns}.deliveryAttempts`, { deliveryId: ids.demoDelivery }],
        [`${ns}.createWebhook`, { url: "https://10.0.0.1/hook", events: ["*"] }],
        [`${ns}.updateWebhook`, { endpointId: ids.demoEndpoint, description: "taken over" }],
        [`${ns}.pauseWebhook`, { endpointId: ids.demoEndpoint, paused: true }],
        [`${ns}.rotateWebhookSecret`, { endpointId: ids.demoEndpoint }],
        [`${ns}.revealWebhookSecret`, { endpointId: ids.demoEndpoint }],
        [`${ns}.deleteWebhook`, { endpointId: ids.demoEndpoint }],
        [`${ns}.sendTestEvent`, { endpointId: ids.demoEndpoint }],
        [`${ns}.resendDelivery`, { deliveryId: ids.demoDelivery }],
        [`${ns}.createInbound`, { provider: "stripe" }],
        [`${ns}.inboundEndpoints`, undefined],
        [`${ns}.inboundEvents`, { failedOnly: false }],
        [`${ns}.reprocessInbound`, { inboundEventId: ids.demoInboundEvent }],
        [`${ns}.pauseInbound`, { endpointId: ids.demoInboundEndpoint, paused: true }],
        [`${ns}.rotateInboundSecret`, { endpointId: ids.demoInboundEndpoint }],
        [`${ns}.deleteInbound`, { endpointId: ids.demoInboundEndpoint }],
      ]),
    ),
    "messages.log": { before: null },
    "messages.templates": undefined,
    "messages.saveTemplate": { kind: "patient.welcome", subject: "Hello", body: "Hi {{first_name}}" },
    "messages.resetTemplate": { kind: "patient.welcome" },
    "messages.preview": { kind: "patient.welcome", subject: "Hello", body: "Hi {{first_name}}" },
    "messages.testSend": { kind: "patient.welcome", subject: "Hello", body: "Hi {{first_name}}" },
    "messages.settings": undefined,
    "messages.updateSettings": { quietHoursStart: 20, quietHoursEnd: 8, shareReminderDays: null },
    "messages.setSlackBaaCovered": { covered: false },
    "messages.myNotifications": undefined,
    "messages.myConsent": undefined,
    "messages.setMyConsent": { sms: false, marketing: true },
    "messages.setMyNotification": { kind: "staff.digest_daily", enabled: true },
    "accountEmails.requestReset": undefined,
    "accountEmails.resetPassword": undefined,
    "accountEmails.verifyEmail": undefined,
    "accountEmails.resendVerification": undefined,
    "onboarding.startProgram": undefined,
  };
  if (!(path in samples)) throw new Error(`add a sample input for the new procedure "${path}" to access.test.ts`);
  return samples[path];
}

async function call(db: Db, userId: string | null, path: string, input: unknown) {
  const caller = callerAs(db, userId) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [ns, name] = path.split(".") as [string, string];
  const fn = caller[ns]?.[name];
  if (!fn) throw new Error(`no procedure ${path}`);
  return fn(input);
}

const users: Record<string, string | null> = {};

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const demo = await clinicOf(db, DEMO_SLUG);
  ids.demoService = (await firstService(db, demo.id)).id;
  ids.demoPatient = (await userByEmail(db, "patient@demo.test")).id;
  ids.demoCode = await codeOf(db, ids.demoPatient);
  const referee = await signUpPatient(db, { code: await codeOf(db, ids.demoPatient), firstName: "Quinn" });
  ids.demoReferee = referee.userId;
  ids.demoReferral = referee.referralId ?? "";
  users.anonymous = null;
  users.patient = ids.demoPatient;
  users.staff = (await userByEmail(db, "staff@demo.test")).id;
  users.admin = (await userByEmail(db, "admin@demo.test")).id;
  ids.demoStaff = (await userByEmail(db, "staff@demo.test")).id;
  ids.demoInvitation = (await inviteMember({ db, actor: staffActor(users.admin, demo.id), clinicId: demo.id }, { email: "pending@example.com", role: "staff" })).invitationId;
  users.platform = (await userByEmail(db, "platform@demo.test")).id;
  users.otherAdmin = (await userByEmail(db, "admin@second.test")).id;
  users.otherPatient = (await userByEmail(db, "patient@second.test")).id;
  // Rule N6: the demo patient's own email, as a separate account at the second clinic.
  users.twinPatient = (await signUpPatient(db, { email: "patient@demo.test", clinicSlug: SECOND_SLUG, firstName: "Tam" })).userId;
  ids.demoClinic = demo.id;

  // Real targets of the demo clinic: an order that released a reward, an appointment.
  const buyer = await signUpPatient(db, { code: await codeOf(db, ids.demoPatient), firstName: "Rowan" });
  ids.demoBuyer = buyer.userId;
  const order = await callerAs(db, users.staff).clinic.recordOrder({ patientId: buyer.userId, items: [{ serviceId: ids.demoService, quantity: 1 }], idempotencyKey: key() });
  ids.demoOrder = order.id;
  const [reward] = await db.select().from(rewards).where(and(eq(rewards.referralId, buyer.referralId ?? ""), eq(rewards.side, "referrer")));
  ids.demoReward = reward?.id ?? "";
  ids.demoAppointment = (await callerAs(db, users.staff).review.book({ patientId: ids.demoReferee, scheduledFor: new Date(Date.now() + 86_400_000), idempotencyKey: key() })).id;
  ids.demoRun = (await performRun(db, new TestPaymentProvider(db), { name: "daily", clinicId: demo.id, period: "2026-12-01" })).run?.id ?? "";
  expect([ids.demoOrder, ids.demoReward, ids.demoAppointment, ids.demoRun].every(Boolean)).toBe(true);
  // Rule A4: a webhook endpoint of the demo clinic, with a delivery in its log.
  const endpoint = await createEndpoint({ db, actor: staffActor(users.admin, demo.id), clinicId: demo.id }, {
    url: "https://crm.example.com/hook",
    events: ["*"],
    description: "CRM",
    mayReceiveContactDetails: false,
    resolve: async () => [{ address: "93.184.215.14", family: 4 }],
  });
  ids.demoEndpoint = endpoint.id;
  // Rule A5: a failed inbound event of the demo clinic (a payment for nobody there).
  const inbound = await createInboundEndpoint({ db, actor: staffActor(users.admin, demo.id), clinicId: demo.id }, { provider: "stripe" });
  const stripeBody = JSON.stringify({ id: "evt_access", object: "event", type: "payment_intent.succeeded", data: { object: { id: "pi_access", amount_received: 100, receipt_email: "nobody@example.com" } } });
  const received = await receiveInbound({ db }, { provider: "stripe", endpointId: inbound.id, body: stripeBody, signature: Stripe.webhooks.generateTestHeaderString({ payload: stripeBody, secret: inbound.signingSecret }) });
  ids.demoInboundEvent = received.kind === "accepted" ? received.eventId : "";
  ids.demoInboundEndpoint = inbound.id;
  await processInboundEvent({ db }, { inboundEventId: ids.demoInboundEvent });
  ids.demoDelivery = (await sendTestEvent({ db, actor: staffActor(users.admin, demo.id), clinicId: demo.id }, { endpointId: endpoint.id })).deliveryId;
  expect([ids.demoOrder, ids.demoReward, ids.demoAppointment].every(Boolean)).toBe(true);

  // Real dead letters (rule A3): probe jobs that fail their one attempt.
  await setQueuePolicy(db, "queue.probe", { retryLimit: 0 });
  const workers = await startWorkers(handle, { payments: paymentProviderFor(db, {}), timing: FAST_TIMING, queues: ["queue.probe"] });
  try {
    ids.demoFailedJob = (await deadLetter(db, demo.id)).jobId;
    ids.platformFailedJob = (await deadLetter(db, null)).jobId;
  } finally {
    await workers.stop();
  }
});

/**
 * The rows a refused call must leave as they were: everything of the demo clinic that a
 * write could touch (money, codes, bookings, team, referrals, audit), plus the platform's own.
 */
async function demoRows() {
  const clinic = ids.demoClinic;
  const sorted = <T,>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const demoOrders = await db.select().from(orders).where(eq(orders.clinicId, clinic));
  return {
    ledger: sorted(await db.select().from(creditLedger).where(eq(creditLedger.clinicId, clinic))),
    rewards: sorted(await db.select().from(rewards).where(eq(rewards.clinicId, clinic))),
    orders: sorted(demoOrders),
    orderItems: sorted((await db.select().from(orderItems)).filter((item) => demoOrders.some((o) => o.id === item.orderId))),
    codes: sorted(await db.select().from(referralCodes).where(eq(referralCodes.clinicId, clinic))),
    appointments: sorted(await db.select().from(appointments).where(eq(appointments.clinicId, clinic))),
    invitations: sorted(await db.select().from(invitations).where(eq(invitations.clinicId, clinic))),
    referrals: sorted(await db.select().from(referrals).where(eq(referrals.clinicId, clinic))),
    audit: sorted(await db.select().from(auditLog).where(eq(auditLog.clinicId, clinic))),
    activity: sorted(await db.select().from(activityEvents).where(eq(activityEvents.clinicId, clinic))),
    users: sorted(await db.select().from(usersTable).where(eq(usersTable.clinicId, clinic))),
    program: sorted(await db.select().from(programs).where(eq(programs.clinicId, clinic))),
    clinic: await db.select().from(clinics).where(eq(clinics.id, clinic)),
    runs: sorted(await db.select().from(scheduledRuns).where(eq(scheduledRuns.clinicId, clinic))),
    programVersions: sorted(await db.select().from(programVersions).where(eq(programVersions.clinicId, clinic))),
    terms: sorted(await db.select().from(termsAcceptances).where(eq(termsAcceptances.clinicId, clinic))),
    services: sorted(await db.select().from(services).where(eq(services.clinicId, clinic))),
    pointConversion: sorted(await db.select().from(pointConversionSettings).where(eq(pointConversionSettings.clinicId, clinic))),
    pointConversions: sorted(await db.select().from(pointConversions).where(eq(pointConversions.clinicId, clinic))),
    events: sorted(await db.select().from(domainEvents).where(eq(domainEvents.clinicId, clinic))),
    webhookEndpoints: sorted(await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.clinicId, clinic))),
    webhookDeliveries: sorted(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.clinicId, clinic))),
    inboundEndpoints: sorted(await db.select().from(inboundEndpoints).where(eq(inboundEndpoints.clinicId, clinic))),
    inboundEvents: sorted(await db.select().from(inboundEvents).where(eq(inboundEvents.clinicId, clinic))),
    jobs: sorted(await queryRows(db, sql`select id, state::text, retry_limit, data from pgboss.job where data->>'clinicId' = ${clinic} or data->>'clinicId' is null`)),
    probes: sorted(await db.select().from(queueProbes)),
    b2b: {
      program: await db.select().from(b2bProgram),
      referrals: sorted(await db.select().from(b2bReferrals)),
      customers: sorted(await db.select().from(b2bCustomers)),
      prospects: sorted(await db.select().from(b2bProspects)),
    },
  };
}
afterAll(() => handle.drop());

describe("every procedure refuses the wrong role", () => {
  it("declares who may call it", () => {
    expect(procedures.length).toBeGreaterThan(5);
    for (const [path, procedure] of procedures) expect(procedure._def.meta?.audience, path).toBeDefined();
  });

  for (const [path, procedure] of procedures) {
    const audience = procedure._def.meta?.audience ?? "public";
    for (const who of ["anonymous", "patient", "staff", "admin", "platform"] as const) {
      if (ALLOWED[audience].includes(who)) continue;
      it(`${path} (${audience}) refuses ${who}, and changes nothing`, async () => {
        const before = await demoRows();
        const error = await call(db, users[who] ?? null, path, sampleInput(path)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe(who === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
        // Refused for the role itself, not for a missing second factor or a missing clinic.
        if (who !== "anonymous") expect((error as TRPCError).message).toBe("Your account does not have access to this.");
        expect(await demoRows()).toEqual(before);
      });
    }
  }
});

describe("rule N1: another clinic reaches none of the demo clinic's data", () => {
  for (const [path, procedure] of procedures) {
    const audience = procedure._def.meta?.audience ?? "public";
    // Rule N6: the second clinic's account of the demo patient's own email ("twinPatient") is as much a stranger.
    const callers = audience === "patient" ? (["otherPatient", "twinPatient"] as const) : audience === "staff" || audience === "admin" ? (["otherAdmin"] as const) : [];
    for (const who of callers) {
      it(`${path} as ${who === "otherAdmin" ? "an admin" : who === "twinPatient" ? "the same email's patient account" : "a patient"} of the second clinic`, async () => {
        const before = await demoRows();
        const result = await call(db, users[who] ?? null, path, sampleInput(path)).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (result.ok) {
          const text = JSON.stringify(result.value);
          const secrets = [ids.demoFailedJob, ids.platformFailedJob, ids.demoPatient, ids.demoReferee, ids.demoReferral, ids.demoService, ids.demoStaff, ids.demoInvitation, ids.demoBuyer, ids.demoOrder, ids.demoReward, ids.demoAppointment, ids.demoCode, ids.demoRun, ids.demoEndpoint, ids.demoDelivery, ids.demoInboundEvent, ids.demoInboundEndpoint];
          // The twin's address is the demo patient's, and the twin is the second clinic's own: that address may show, nothing else.
          const names = who === "otherPatient" ? ["patient@demo.test", "staff@demo.test", "Patel", "Quinn", "Rowan"] : ["staff@demo.test", "Patel", "Quinn", "Rowan"];
          for (const secret of [...secrets, ...names]) {
            expect(text, `${path} leaked ${secret}`).not.toContain(secret);
          }
        } else {
          expect(result.error).toBeInstanceOf(TRPCError);
          // PRECONDITION_FAILED: the caller's own clinic does not offer it (points conversion there is off).
          expect(["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST", "PRECONDITION_FAILED"]).toContain((result.error as TRPCError).code);
        }
        // Whatever the answer, nothing of the demo clinic moved: no credit, reward, order, code, booking, invitation, referral or audit entry.
        expect(await demoRows()).toEqual(before);
      });
    }
  }
});
