import { and, asc, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { strToU8, zipSync } from "fflate";
import { appointments, creditLedger, orderItems, orders, outboxMessages, referralCodes, referrals, rewards, termsAcceptances, users } from "@/db/schema";
import { actorUserId } from "@/server/events/actor";
import { auditBy } from "@/server/kernel/audit";
import type { ServiceContext } from "@/server/kernel/context";
import { type Cell, csvRows } from "@/server/kernel/csv";
import { DomainError } from "@/server/kernel/errors";

const referrer = alias(users, "referrer");
const referee = alias(users, "referee");
const dollars = (cents: number) => cents / 100;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Rule N3: everything the clinic holds about one patient, as they would ask for it: the profile,
 * referrals both ways, the ledger, orders with their lines, appointments and the messages sent
 * to them (subject and kind; message bodies carry private links and stay out). Other people
 * appear by first name only.
 */
export async function patientArchiveData(ctx: ServiceContext, input: { patientId: string }) {
  const { db, clinicId } = ctx;
  const [profile] = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email, phone: users.phoneNormalized, joinedAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, input.patientId), eq(users.clinicId, clinicId), eq(users.role, "patient")));
  // Rule N1: another clinic's patient is as absent as one that never existed.
  if (!profile) throw new DomainError("not_found", "That patient was not found.");
  const mine = eq(referrals.clinicId, clinicId);
  const [codes, referralRows, ledger, orderRows, appointmentRows, messages, terms, rewardRows] = await Promise.all([
    db.select({ code: referralCodes.code, createdAt: referralCodes.createdAt, rotatedAt: referralCodes.rotatedAt }).from(referralCodes).where(eq(referralCodes.patientId, profile.id)).orderBy(asc(referralCodes.createdAt)),
    db
      .select({ id: referrals.id, referrerId: referrals.referrerId, referrer: referrer.firstName, referee: referee.firstName, status: referrals.status, createdAt: referrals.createdAt, qualifiedAt: referrals.qualifiedAt })
      .from(referrals)
      .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
      .innerJoin(referee, eq(referee.id, referrals.refereeId))
      .where(and(mine, or(eq(referrals.referrerId, profile.id), eq(referrals.refereeId, profile.id))))
      .orderBy(asc(referrals.createdAt)),
    db
      .select({ id: creditLedger.id, unit: creditLedger.unit, kind: creditLedger.kind, amount: creditLedger.amountCents, memo: creditLedger.memo, expiresAt: creditLedger.expiresAt, createdAt: creditLedger.createdAt })
      .from(creditLedger)
      .where(eq(creditLedger.patientId, profile.id))
      .orderBy(asc(creditLedger.createdAt), asc(creditLedger.id)),
    db
      .select({ id: orders.id, status: orders.status, totalCents: orders.totalCents, discountCents: orders.discountCents, creditAppliedCents: orders.creditAppliedCents, chargedCents: orders.chargedCents, paymentMethod: orders.paymentMethod, paidAt: orders.paidAt, refundedAt: orders.refundedAt, createdAt: orders.createdAt })
      .from(orders)
      .where(eq(orders.patientId, profile.id))
      .orderBy(asc(orders.createdAt)),
    db.select({ id: appointments.id, status: appointments.status, scheduledFor: appointments.scheduledFor, attendedAt: appointments.attendedAt }).from(appointments).where(eq(appointments.patientId, profile.id)).orderBy(asc(appointments.scheduledFor)),
    db
      .select({ kind: outboxMessages.kind, subject: outboxMessages.subject, status: outboxMessages.status, createdAt: outboxMessages.createdAt })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.clinicId, clinicId), eq(outboxMessages.to, profile.email)))
      .orderBy(asc(outboxMessages.createdAt)),
    db.select({ termsVersion: termsAcceptances.termsVersion, acceptedAt: termsAcceptances.acceptedAt }).from(termsAcceptances).where(eq(termsAcceptances.patientId, profile.id)),
    db.select({ id: rewards.id, side: rewards.side, kind: rewards.kind, amount: rewards.amount, status: rewards.status, createdAt: rewards.createdAt }).from(rewards).where(eq(rewards.patientId, profile.id)).orderBy(asc(rewards.createdAt)),
  ]);
  const lines = orderRows.length
    ? await db.select({ orderId: orderItems.orderId, name: orderItems.name, unitPriceCents: orderItems.unitPriceCents, quantity: orderItems.quantity }).from(orderItems).where(inArray(orderItems.orderId, orderRows.map((o) => o.id)))
    : [];
  return {
    profile,
    codes,
    terms,
    referrals: referralRows.map(({ referrerId, ...r }) => ({ ...r, role: referrerId === profile.id ? ("referrer" as const) : ("referred" as const) })),
    rewards: rewardRows,
    ledger,
    orders: orderRows.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id).map(({ orderId: _orderId, ...l }) => l) })),
    appointments: appointmentRows,
    messages,
  };
}

export type PatientArchive = Awaited<ReturnType<typeof patientArchiveData>>;

function csvFile(columns: string[], rows: Cell[][]): Uint8Array {
  return strToU8(csvRows(columns, rows));
}

/** The archive: one JSON document with everything, and a CSV per table for a spreadsheet. */
export function archiveZip(data: PatientArchive): Uint8Array {
  return zipSync({
    "patient.json": strToU8(JSON.stringify(data, null, 2)),
    "profile.csv": csvFile(["first_name", "last_name", "email", "phone", "joined_at"], [[data.profile.firstName, data.profile.lastName, data.profile.email, data.profile.phone, data.profile.joinedAt]]),
    "referrals.csv": csvFile(["role", "referrer_first_name", "referred_first_name", "status", "created_at", "qualified_at"], data.referrals.map((r) => [r.role, r.referrer, r.referee, r.status, r.createdAt, r.qualifiedAt])),
    "ledger.csv": csvFile(
      ["date", "unit", "kind", "amount", "memo", "expires_at"],
      data.ledger.map((e) => [e.createdAt, e.unit, e.kind, e.unit === "credit" ? dollars(e.amount) : String(e.amount), e.memo, e.expiresAt]),
    ),
    "orders.csv": csvFile(
      ["date", "status", "items", "total", "discount", "credit_applied", "charged", "paid_at", "refunded_at"],
      data.orders.map((o) => [o.createdAt, o.status, o.lines.map((l) => `${l.quantity} x ${l.name}`).join("; "), dollars(o.totalCents), dollars(o.discountCents), dollars(o.creditAppliedCents), dollars(o.chargedCents), o.paidAt, o.refundedAt]),
    ),
    "appointments.csv": csvFile(["scheduled_for", "status", "attended_at"], data.appointments.map((a) => [a.scheduledFor, a.status, iso(a.attendedAt)])),
    "messages.csv": csvFile(["date", "kind", "subject", "status"], data.messages.map((m) => [m.createdAt, m.kind, m.subject, m.status])),
  });
}

/**
 * Rule N3: a patient's data export, by staff for the patient or by the patient themselves;
 * staff access is audited before the archive leaves.
 */
export async function exportPatientData(ctx: ServiceContext, input: { patientId: string }) {
  const data = await patientArchiveData(ctx, input);
  await auditBy(ctx.db, ctx.actor, { clinicId: ctx.clinicId, action: "patient.export", targetType: "patient", targetId: input.patientId });
  return { filename: `patient-data-${new Date().toISOString().slice(0, 10)}.zip`, zip: archiveZip(data) };
}

export type ArchiveOutcome = { ok: true; filename: string; zip: Uint8Array } | { ok: false; status: 404; message: string };

/**
 * Which archive (rules N1, N3), for a caller the guard let through: a patient their own
 * (`patientId` null), the clinic's staff any of its patients.
 */
export async function openPatientArchive(ctx: ServiceContext, input: { patientId: string | null }): Promise<ArchiveOutcome> {
  const patientId = input.patientId ?? actorUserId(ctx.actor);
  if (!patientId) throw new Error("only a person has an archive of their own");
  try {
    return { ok: true, ...(await exportPatientData(ctx, { patientId })) };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") return { ok: false, status: 404, message: error.message };
    throw error;
  }
}
