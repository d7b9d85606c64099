import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
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
  users,
  webhookAttempts,
  webhookDeliveries,
} from "@/db/schema";
import { emit } from "@/server/events/emit";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { eraseNotes, ERASED, mentions, namesOf, relatedRows, scrubJson, scrubString, scrubText } from "./erasure-notes";
import { DomainError } from "@/server/kernel/errors";
import { lockPatients } from "@/server/kernel/locks";

/** The non-deliverable address an erased account keeps (RFC 2606 `.invalid`), unique per account. */
export const erasedEmail = (patientId: string) => `erased-${patientId}@erased.invalid`;

/**
 * Rule N3: erasure on request. In one transaction under the patient's lock, every store that
 * holds the patient's name, email or phone is anonymised; the account is disabled and its
 * sessions end; pending messages are cancelled; the code stops attributing. Ledger, rewards,
 * referrals, orders and audit rows stay, pointing at the same (now pseudonymous) user id, so
 * money and the audit trail still add up. Erasing an erased patient changes nothing.
 *
 * Staff notes that name the patient (erasure-notes.ts) are erased on the rows of the patient and
 * of the people they referred or were referred by, and clinic-wide where they give the email,
 * phone or full name; in the audit log too, the one edit it allows (rule C4, issue 19).
 * Not touched, and why: credit_ledger memos are fixed texts (never a name); actorLabel is null for
 * staff and patients; domain_events data is ids only (server/events/catalog.ts); pgboss.job data is
 * ids only (every queue payload in server/queue/names.ts is ids and a clinicId), so no queue row
 * holds a personal field. The erasure test searches every text and jsonb column of every schema
 * to prove it.
 */
export async function erasePatient(ctx: ServiceContext, input: { patientId: string; reason: string }) {
  return withTransaction(ctx, async (service) => {
    const { db: tx, actor, clinicId } = service;
    const [locked] = await lockPatients(tx, { clinicId, patientIds: [input.patientId] });
    const [patient] = locked ? await tx.select().from(users).where(and(eq(users.id, locked), eq(users.role, "patient"))) : [];
    if (!patient) throw new DomainError("not_found", "No such patient at this clinic.");
    const placeholder = erasedEmail(patient.id);
    if (patient.email === placeholder) return { patientId: patient.id, alreadyErased: true };

    const names = namesOf(patient);
    const { exact } = names;
    const related = await relatedRows(service, { patientId: patient.id });
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
    await tx.update(activityEvents).set({ ipHash: null, userAgent: null }).where(and(eq(activityEvents.clinicId, clinicId), eq(activityEvents.patientId, patient.id)));

    // Messages to the patient: addresses and text erased; a pending one is cancelled (A2's "suppressed").
    const addresses = sql.join(names.addresses.map((n) => sql`${n}`), sql`, `);
    // An address alone counts only on rows kept for no account: a family phone may be another patient's too.
    const toPatient = or(eq(outboxMessages.recipientId, patient.id), and(eq(outboxMessages.clinicId, clinicId), isNull(outboxMessages.recipientId), sql`lower(${outboxMessages.to}) in (${addresses})`));
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
      .set({ subject: scrubText(exact, outboxMessages.subject), body: scrubText(exact, outboxMessages.body), html: scrubText(exact, outboxMessages.html) })
      .where(and(eq(outboxMessages.clinicId, clinicId), or(mentions(exact, outboxMessages.subject), mentions(exact, outboxMessages.body), mentions(exact, outboxMessages.html))));
    // Messages to the people they referred or were referred by name them by first name alone ("Sam joined").
    const partners = related.people.filter((id) => id !== patient.id);
    const { any } = names;
    await tx
      .update(outboxMessages)
      .set({ subject: scrubText(any, outboxMessages.subject), body: scrubText(any, outboxMessages.body), html: scrubText(any, outboxMessages.html) })
      .where(and(eq(outboxMessages.clinicId, clinicId), inArray(outboxMessages.recipientId, partners), or(mentions(any, outboxMessages.subject), mentions(any, outboxMessages.body), mentions(any, outboxMessages.html))));
    // An unsubscribe or STOP of an address another account of the clinic still uses stays (rules A2, N7);
    // a STOP is kept under smsAddress(phone), "+" and the digits.
    await tx.delete(messageSuppressions).where(
      and(
        eq(messageSuppressions.clinicId, clinicId),
        sql`lower(${messageSuppressions.address}) in (${addresses})`,
        sql`not exists (select 1 from ${users} u where u.clinic_id = ${clinicId} and u.id <> ${patient.id} and (lower(u.email) = lower(${messageSuppressions.address}) or '+' || u.phone_normalized = ${messageSuppressions.address}))`,
      ),
    );

    // Rule A5: inbound payloads that carry the patient are purged early, as the 30-day purge would.
    await tx
      .update(inboundEvents)
      .set({ payload: null, payloadPurgedAt: now })
      .where(and(eq(inboundEvents.clinicId, clinicId), mentions(exact, inboundEvents.payload)));
    await tx.update(inboundEvents).set({ outcome: scrubText(exact, inboundEvents.outcome) }).where(and(eq(inboundEvents.clinicId, clinicId), mentions(exact, inboundEvents.outcome)));

    // Rule A4: a receiver may echo what it was sent; the delivery log keeps no copy of the patient.
    const clinicDeliveries = tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.clinicId, clinicId));
    await tx
      .update(webhookDeliveries)
      .set({ testData: sql`case when ${mentions(exact, webhookDeliveries.testData)} then null else ${webhookDeliveries.testData} end`, lastResponseExcerpt: scrubText(exact, webhookDeliveries.lastResponseExcerpt), lastError: scrubText(exact, webhookDeliveries.lastError) })
      .where(and(eq(webhookDeliveries.clinicId, clinicId), or(mentions(exact, webhookDeliveries.testData), mentions(exact, webhookDeliveries.lastResponseExcerpt), mentions(exact, webhookDeliveries.lastError))));
    await tx
      .update(webhookAttempts)
      .set({ responseExcerpt: scrubText(exact, webhookAttempts.responseExcerpt), error: scrubText(exact, webhookAttempts.error) })
      .where(and(inArray(webhookAttempts.deliveryId, clinicDeliveries), or(mentions(exact, webhookAttempts.responseExcerpt), mentions(exact, webhookAttempts.error))));

    // A stored REST answer (rule N2's Idempotency-Key) and the rows of a CSV import can hold the patient too.
    const clinicKeys = tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.clinicId, clinicId));
    await tx.update(apiIdempotencyKeys).set({ response: scrubJson(exact, apiIdempotencyKeys.response) }).where(and(inArray(apiIdempotencyKeys.apiKeyId, clinicKeys), mentions(exact, apiIdempotencyKeys.response)));
    const clinicImports = tx.select({ id: patientImports.id }).from(patientImports).where(eq(patientImports.clinicId, clinicId));
    await tx.update(patientImportRows).set({ data: scrubJson(exact, patientImportRows.data) }).where(and(inArray(patientImportRows.importId, clinicImports), mentions(exact, patientImportRows.data)));
    await tx.update(patientImports).set({ errors: scrubJson(exact, patientImports.errors) }).where(and(eq(patientImports.clinicId, clinicId), mentions(exact, patientImports.errors)));

    await eraseNotes(service, { naming: any, among: related });
    await eraseNotes(service, { naming: exact, among: "clinic" });

    await emit(tx, actor, { type: "patient.erased", clinicId, data: { patientId: patient.id } });
    // The erasure's own entry names nobody: the request may have named the patient.
    await auditBy(tx, actor, {
      clinicId,
      action: "patient.erase",
      targetType: "patient",
      targetId: patient.id,
      reason: scrubString(any, input.reason),
      after: { codesRetired: retired.length, messagesErased: cancelled.length },
    });
    return { patientId: patient.id, alreadyErased: false };
  });
}
