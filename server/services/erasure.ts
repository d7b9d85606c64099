import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import {
  accountTokens,
  activityEvents,
  apiIdempotencyKeys,
  apiKeys,
  authSessions,
  deviceSightings,
  inboundEvents,
  messageSuppressions,
  outboxMessages,
  patientImportRows,
  patientImports,
  referralCodes,
  referrals,
  users,
  webhookAttempts,
  webhookDeliveries,
} from "@/db/schema";
import type { Actor } from "@/server/events/actor";
import { emit } from "@/server/events/emit";
import { auditBy } from "./audit";
import { DomainError } from "./errors";
import { lockPatients } from "./locks";

/** The non-deliverable address an erased account keeps (RFC 2606 `.invalid`), unique per account. */
export const erasedEmail = (patientId: string) => `erased-${patientId}@erased.invalid`;
const ERASED = "[erased]";

/** Escapes a literal for a Postgres regular expression (ARE). */
const literal = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");

/**
 * Rule N3: erasure on request. In one transaction under the patient's lock, every store that
 * holds the patient's name, email or phone is anonymised; the account is disabled and its
 * sessions end; pending messages are cancelled; the code stops attributing. Ledger, rewards,
 * referrals, orders and audit rows stay, pointing at the same (now pseudonymous) user id, so
 * money and the audit trail still add up. Erasing an erased patient changes nothing.
 *
 * Not touched, and why: credit_ledger memos are fixed texts (never a name); audit_log entries
 * about patients carry ids, statuses and amounts (the only emails in before/after are staff
 * invitations, server/services/invitations.ts), and actorLabel is null for staff and patients;
 * domain_events data is ids only (server/events/catalog.ts); pgboss.job data is ids only
 * (every queue payload in server/jobs/queues.ts is ids and a clinicId), so no queue row holds
 * a personal field. The erasure test searches every text and jsonb column of every schema to
 * prove it.
 */
export async function erasePatient(db: Db, input: { actor: Actor; clinicId: string; patientId: string; reason: string }) {
  return db.transaction(async (tx) => {
    const [locked] = await lockPatients(tx, { clinicId: input.clinicId, patientIds: [input.patientId] });
    const [patient] = locked ? await tx.select().from(users).where(and(eq(users.id, locked), eq(users.role, "patient"))) : [];
    if (!patient) throw new DomainError("NOT_FOUND", "No such patient at this clinic.");
    const placeholder = erasedEmail(patient.id);
    if (patient.email === placeholder) return { patientId: patient.id, alreadyErased: true };

    const needles = [patient.email, patient.emailNormalized, patient.phoneNormalized, `${patient.firstName} ${patient.lastName}`]
      .filter((n): n is string => !!n && n.trim().length >= 4)
      .map((n) => n.toLowerCase());
    const pattern = [...new Set(needles)].map(literal).join("|");
    const mentions = (col: AnyPgColumn | SQL) => sql`(${col})::text ~* ${pattern}`;
    const scrubText = (col: AnyPgColumn) => sql`regexp_replace(${col}, ${pattern}, ${ERASED}, 'gi')`;
    // The replacement has no JSON-special character, so the document stays valid JSON.
    const scrubJson = (col: AnyPgColumn) => sql`regexp_replace((${col})::text, ${pattern}, ${ERASED}, 'gi')::jsonb`;
    const now = new Date();

    await tx
      .update(users)
      .set({
        firstName: "Erased",
        lastName: "patient",
        email: placeholder,
        emailNormalized: placeholder,
        phoneNormalized: null,
        externalId: null,
        passwordHash: null,
        emailVerifiedAt: null,
        smsOptInAt: null,
        smsOptInWording: null,
        marketingOptInAt: null,
        disabledAt: patient.disabledAt ?? now,
        updatedAt: now,
      })
      .where(eq(users.id, patient.id));
    // Rule N6: a disabled account's sessions end at once; its unused links stop working.
    await tx.update(authSessions).set({ endedAt: now }).where(and(eq(authSessions.userId, patient.id), isNull(authSessions.endedAt)));
    await tx.delete(accountTokens).where(eq(accountTokens.userId, patient.id));

    // Rule P2: the code is retired without a successor, so old links land on "this code was replaced".
    const retired = await tx
      .update(referralCodes)
      .set({ rotatedAt: now })
      .where(and(eq(referralCodes.patientId, patient.id), isNull(referralCodes.rotatedAt)))
      .returning({ id: referralCodes.id });
    await tx.delete(deviceSightings).where(eq(deviceSightings.patientId, patient.id));
    await tx.update(activityEvents).set({ ipHash: null, userAgent: null }).where(and(eq(activityEvents.clinicId, input.clinicId), eq(activityEvents.patientId, patient.id)));

    // Messages to the patient: addresses and text erased; a pending one is cancelled (A2's "suppressed").
    const addresses = sql.join(needles.map((n) => sql`${n}`), sql`, `);
    // An address alone counts only on rows kept for no account: a family phone may be another patient's too.
    const toPatient = or(eq(outboxMessages.recipientId, patient.id), and(eq(outboxMessages.clinicId, input.clinicId), isNull(outboxMessages.recipientId), sql`lower(${outboxMessages.to}) in (${addresses})`));
    const cancelled = await tx
      .update(outboxMessages)
      .set({
        status: sql`case when ${outboxMessages.status} = 'pending' then 'suppressed'::outbox_status else ${outboxMessages.status} end`,
        lastError: sql`case when ${outboxMessages.status} = 'pending' then 'cancelled: the patient asked to be erased (rule N3)' else ${outboxMessages.lastError} end`,
        to: sql`'erased-' || ${outboxMessages.id}::text || '@erased.invalid'`,
        subject: ERASED,
        body: ERASED,
        html: null,
        sealedLink: null,
      })
      .where(toPatient)
      .returning({ id: outboxMessages.id });
    // Messages to others (staff notifications, digests) that name the patient keep the rest of their text.
    await tx
      .update(outboxMessages)
      .set({ subject: scrubText(outboxMessages.subject), body: scrubText(outboxMessages.body), html: scrubText(outboxMessages.html) })
      .where(and(eq(outboxMessages.clinicId, input.clinicId), or(mentions(outboxMessages.subject), mentions(outboxMessages.body), mentions(outboxMessages.html))));
    // An unsubscribe or STOP of an address another account of the clinic still uses stays (rules A2, N7).
    await tx.delete(messageSuppressions).where(
      and(
        eq(messageSuppressions.clinicId, input.clinicId),
        sql`lower(${messageSuppressions.address}) in (${addresses})`,
        sql`not exists (select 1 from ${users} u where u.clinic_id = ${input.clinicId} and u.id <> ${patient.id} and (lower(u.email) = lower(${messageSuppressions.address}) or u.phone_normalized = ${messageSuppressions.address}))`,
      ),
    );

    // Rule A5: inbound payloads that carry the patient are purged early, as the 30-day purge would.
    await tx
      .update(inboundEvents)
      .set({ payload: null, payloadPurgedAt: now })
      .where(and(eq(inboundEvents.clinicId, input.clinicId), mentions(inboundEvents.payload)));
    await tx.update(inboundEvents).set({ outcome: scrubText(inboundEvents.outcome) }).where(and(eq(inboundEvents.clinicId, input.clinicId), mentions(inboundEvents.outcome)));

    // Rule A4: a receiver may echo what it was sent; the delivery log keeps no copy of the patient.
    const clinicDeliveries = tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.clinicId, input.clinicId));
    await tx
      .update(webhookDeliveries)
      .set({ testData: sql`case when ${mentions(webhookDeliveries.testData)} then null else ${webhookDeliveries.testData} end`, lastResponseExcerpt: scrubText(webhookDeliveries.lastResponseExcerpt), lastError: scrubText(webhookDeliveries.lastError) })
      .where(and(eq(webhookDeliveries.clinicId, input.clinicId), or(mentions(webhookDeliveries.testData), mentions(webhookDeliveries.lastResponseExcerpt), mentions(webhookDeliveries.lastError))));
    await tx
      .update(webhookAttempts)
      .set({ responseExcerpt: scrubText(webhookAttempts.responseExcerpt), error: scrubText(webhookAttempts.error) })
      .where(and(inArray(webhookAttempts.deliveryId, clinicDeliveries), or(mentions(webhookAttempts.responseExcerpt), mentions(webhookAttempts.error))));

    // A stored REST answer (rule N2's Idempotency-Key) and the rows of a CSV import can hold the patient too.
    const clinicKeys = tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.clinicId, input.clinicId));
    await tx.update(apiIdempotencyKeys).set({ response: scrubJson(apiIdempotencyKeys.response) }).where(and(inArray(apiIdempotencyKeys.apiKeyId, clinicKeys), mentions(apiIdempotencyKeys.response)));
    const clinicImports = tx.select({ id: patientImports.id }).from(patientImports).where(eq(patientImports.clinicId, input.clinicId));
    await tx.update(patientImportRows).set({ data: scrubJson(patientImportRows.data) }).where(and(inArray(patientImportRows.importId, clinicImports), mentions(patientImportRows.data)));
    await tx.update(patientImports).set({ errors: scrubJson(patientImports.errors) }).where(and(eq(patientImports.clinicId, input.clinicId), mentions(patientImports.errors)));
    await tx.update(referrals).set({ reviewNote: scrubText(referrals.reviewNote) }).where(and(eq(referrals.clinicId, input.clinicId), mentions(referrals.reviewNote)));

    await emit(tx, input.actor, { type: "patient.erased", clinicId: input.clinicId, data: { patientId: patient.id } });
    await auditBy(tx, input.actor, {
      clinicId: input.clinicId,
      action: "patient.erase",
      targetType: "patient",
      targetId: patient.id,
      reason: input.reason,
      after: { codesRetired: retired.length, messagesErased: cancelled.length },
    });
    return { patientId: patient.id, alreadyErased: false };
  });
}
