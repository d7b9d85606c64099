import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { outboxMessages, patientImports, referralCodes, referrals, users } from "@/db/schema";
import { resetPassword } from "@/server/auth/account-links";
import { deliverableBody } from "@/server/messaging/store";
import { systemActor } from "@/server/events/actor";
import { startWorkers } from "@/server/jobs/worker";
import { TestPaymentProvider } from "@/server/services/orders/payment-provider";
import { createTestDb } from "@/server/testing/db";
import { authorizedAs, callerAs, clinicOf, DEMO_SLUG, guardAs, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { importBatch, workImport } from "./run";
import { uploadImport } from "./upload";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;
const job = () => systemActor("patients.import", clinicId);

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

const HEADER = "first_name,last_name,email,phone,external_id";
const randomSuffix = () => Math.random().toString(36).slice(2, 10);
function generated(n: number, tag: string) {
  const lines = Array.from({ length: n }, (_, i) => `Pat${i},Imported,${tag}-${i}@import.example,,${tag}-EXT-${i}`);
  return [HEADER, ...lines].join("\n");
}

async function patientsTagged(tag: string) {
  return db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.clinicId, clinicId), inArray(users.email, Array.from({ length: 5000 }, (_, i) => `${tag}-${i}@import.example`))));
}

describe("issue 13: importing a clinic's existing patients (rules P2, P6)", () => {
  it("5,000 rows: every patient present once, each with a code; a re-run imports nothing and skips every row", async () => {
    const admin = callerAs(db, adminId);
    const csv = generated(5000, "five");
    const { jobId } = await admin.patients.importCsv({ csv });
    expect(await admin.patients.importStatus({ jobId })).toMatchObject({ state: "queued", total: 5000, processed: 0 });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId, sliceMs: 60_000 });
    expect(await admin.patients.importStatus({ jobId })).toMatchObject({ state: "done", imported: 5000, skipped: 0, processed: 5000 });
    const patients = await patientsTagged("five");
    expect(new Set(patients.map((p) => p.email)).size).toBe(5000);
    const [codes] = await db.select({ n: count() }).from(referralCodes).where(and(inArray(referralCodes.patientId, patients.map((p) => p.id)), isNull(referralCodes.rotatedAt)));
    expect(codes?.n).toBe(5000);

    const again = await admin.patients.importCsv({ csv });
    await workImport({ db, actor: job(), clinicId }, { importId: again.jobId, sliceMs: 60_000 });
    const status = await admin.patients.importStatus({ jobId: again.jobId });
    expect(status).toMatchObject({ state: "done", imported: 0, skipped: 5000 });
    expect(status.errors[0]).toEqual({ row: 2, field: "external_id", message: "Matches an existing patient by external id; skipped, nothing changed." });
    expect((await patientsTagged("five")).length).toBe(5000);
  });

  it("rule P6: an imported patient is an existing patient: a friend's link brings no reward for them, even under a new email with their phone", async () => {
    const admin = callerAs(db, adminId);
    const suffix = randomSuffix();
    const phone = `+1 (555) 7${suffix.replace(/\D/g, "").padEnd(2, "0").slice(0, 2)}-${String(Date.now()).slice(-4)}`;
    const { jobId } = await admin.patients.importCsv({ csv: `${HEADER}\nMara,Longtime,mara-${suffix}@import.example,${phone},LONG-${suffix}` });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId });
    expect(await admin.patients.importStatus({ jobId })).toMatchObject({ state: "done", imported: 1 });
    const referrer = await userByEmail(db, "patient@demo.test");
    const code = (await db.select({ code: referralCodes.code }).from(referralCodes).where(and(eq(referralCodes.patientId, referrer.id), isNull(referralCodes.rotatedAt))))[0]?.code ?? "";
    const { referralId } = await signUpPatient(db, { code, email: `mara-new-${suffix}@example.com`, phone });
    const [referral] = await db.select({ status: referrals.status, reason: referrals.ineligibleReason }).from(referrals).where(eq(referrals.id, referralId ?? ""));
    expect(referral).toEqual({ status: "ineligible", reason: "existing_patient" });
  });

  it("killed half-way (a batch rolled back mid-transaction) and resumed: nothing is duplicated or lost", async () => {
    const { jobId } = await callerAs(db, adminId).patients.importCsv({ csv: generated(3000, "kill") });
    await importBatch({ db, actor: job(), clinicId }, { importId: jobId });
    // The worker dies inside the second batch: its transaction never commits.
    await db
      .transaction(async (tx) => {
        await importBatch({ db: tx, actor: job(), clinicId }, { importId: jobId });
        throw new Error("SIGKILL");
      })
      .catch(() => null);
    expect(await callerAs(db, adminId).patients.importStatus({ jobId })).toMatchObject({ state: "running", processed: 1000, imported: 1000 });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId, sliceMs: 60_000 });
    expect(await callerAs(db, adminId).patients.importStatus({ jobId })).toMatchObject({ state: "done", processed: 3000, imported: 3000, skipped: 0 });
    expect((await patientsTagged("kill")).length).toBe(3000);
  });

  it("a time slice that runs out queues the rest as the next job, which the queue's worker finishes (rule A3)", async () => {
    const { jobId } = await callerAs(db, adminId).patients.importCsv({ csv: generated(2500, "slice") });
    let clock = 0;
    // Each batch takes "an hour": the slice ends after the first.
    expect(await workImport({ db, actor: job(), clinicId }, { importId: jobId, sliceMs: 1, now: () => (clock += 3_600_000) })).toEqual({ done: false });
    const workers = await startWorkers(handle, { payments: new TestPaymentProvider(db), timing: { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 }, queues: ["patients.import"] });
    try {
      await expect.poll(async () => (await callerAs(db, adminId).patients.importStatus({ jobId })).state, { timeout: 30_000, interval: 250 }).toBe("done");
    } finally {
      await workers.stop();
    }
    expect((await patientsTagged("slice")).length).toBe(2500);
  });

  it("a bad row is shown with its field and left out; the good rows import; a match by email or phone updates nothing", async () => {
    const known = await signUpPatient(db, { email: "known.patient@import.example", phone: "555-301-0001", firstName: "Known" });
    const csv = [
      `${HEADER},government_payer,patient_since`,
      "Good,Row,good.row@import.example,555-301-0002,G-1,true,2019-04-01",
      "Bad,Email,not-an-email,,,,",
      ",Noname,noname@import.example,,,,",
      "Bad,Date,bad.date@import.example,,,,2025-02-31",
      "Renamed,Person,KNOWN.PATIENT@import.example,,,,",
      "Phone,Match,other.mail@import.example,(555) 301-0001,,,",
    ].join("\n");
    const admin = callerAs(db, adminId);
    const preview = await admin.patients.previewCsv({ csv });
    expect(preview).toMatchObject({ totalRows: 6, validRows: 3, invalidRows: 3 });
    expect(preview.errors).toEqual([
      { row: 3, field: "email", message: "Enter a valid email address, like name@example.com." },
      { row: 4, field: "first_name", message: "Enter the first name." },
      { row: 5, field: "patient_since", message: "Patient since: that date is not on the calendar. Check the day and the month." },
    ]);
    const { jobId } = await admin.patients.importCsv({ csv });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId });
    const status = await admin.patients.importStatus({ jobId });
    expect(status).toMatchObject({ state: "done", total: 3, imported: 1, skipped: 2 });
    expect(status.errors.slice(3)).toEqual([
      { row: 6, field: "email", message: "Matches an existing patient by email; skipped, nothing changed." },
      { row: 7, field: "phone", message: "Matches an existing patient by phone; skipped, nothing changed." },
    ]);
    const [unchanged] = await db.select({ firstName: users.firstName }).from(users).where(eq(users.id, known.userId));
    expect(unchanged?.firstName).toBe("Known");
    const [good] = await db.select().from(users).where(eq(users.email, "good.row@import.example"));
    expect(good).toMatchObject({ governmentPayer: true, patientSince: "2019-04-01", externalId: "G-1", passwordHash: null });
  });

  it("a wrong header, an empty file or a file over 1 MB is refused with its reason, and starts nothing", async () => {
    const admin = callerAs(db, adminId);
    const [before] = await db.select({ n: count() }).from(patientImports);
    await expect(admin.patients.importCsv({ csv: "first,last,email\nA,B,a@b.example" })).rejects.toThrow(/missing: first_name, last_name, phone, external_id/);
    await expect(admin.patients.importCsv({ csv: `${HEADER},shoe_size\nA,B,a@b.example,,,42` })).rejects.toThrow('Unknown column "shoe_size".');
    await expect(admin.patients.importCsv({ csv: "" })).rejects.toThrow(/The file is empty/);
    await expect(admin.patients.importCsv({ csv: `${HEADER}\n${"x".repeat(1024 * 1024)}` })).rejects.toThrow(/over 1 MB/);
    const [after] = await db.select({ n: count() }).from(patientImports);
    expect(after?.n).toBe(before?.n);
  });

  it("another clinic's admin cannot read an import's status (rule N1)", async () => {
    const { jobId } = await callerAs(db, adminId).patients.importCsv({ csv: generated(1, "tenancy") });
    const other = callerAs(db, (await userByEmail(db, "admin@second.test")).id);
    await expect(other.patients.importStatus({ jobId })).rejects.toThrow("That import was not found.");
  });

  it("an uploaded file waits as a draft with its preview until an admin starts it; staff and strangers may not upload", async () => {
    const text = generated(3, "upload");
    expect(await guardAs(db, null, "admin")).toMatchObject({ ok: false, status: 401 });
    expect(await guardAs(db, (await userByEmail(db, "staff@demo.test")).id, "admin")).toMatchObject({ ok: false, status: 403 });
    const guarded = await authorizedAs(db, adminId, "admin");
    const route = { db, actor: guarded.actor, clinicId: guarded.clinicId };
    expect(await uploadImport(route, { text: "nope\n1" })).toMatchObject({ ok: false, status: 400, field: "csv" });
    const uploaded = await uploadImport(route, { text });
    if (!uploaded.ok || !uploaded.preview.importId) throw new Error("the upload was refused");
    const jobId = uploaded.preview.importId;
    expect(uploaded.preview).toMatchObject({ totalRows: 3, validRows: 3, invalidRows: 0, sample: [{ row: 2, firstName: "Pat0", lastName: "Imported" }, expect.anything(), expect.anything()] });
    const admin = callerAs(db, adminId);
    await expect(admin.patients.importStatus({ jobId })).rejects.toThrow("That import was not found.");
    await admin.patients.startImport({ jobId });
    // A double click starts nothing more.
    await admin.patients.startImport({ jobId });
    expect(await admin.patients.importStatus({ jobId })).toMatchObject({ state: "queued", total: 3 });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId });
    expect(await admin.patients.importStatus({ jobId })).toMatchObject({ state: "done", imported: 3 });
  });

  it("with invitations on, each imported patient gets a portal invitation whose link sets their password once", async () => {
    const email = `invited-${randomSuffix()}@import.example`;
    const { jobId } = await callerAs(db, adminId).patients.importCsv({ csv: `${HEADER}\nIvy,Invited,${email},,`, sendInvitations: true });
    await workImport({ db, actor: job(), clinicId }, { importId: jobId });
    const [mail] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, email), eq(outboxMessages.kind, "patient.portal_invitation")));
    if (!mail) throw new Error("no invitation was queued");
    // Rule N3: the link is sealed in the store; only the sender reads it.
    expect(mail.body).not.toMatch(/\/claim\/[\w-]{20,}/);
    const token = /\/claim\/([\w-]+)/.exec(deliverableBody(mail))?.[1] ?? "";
    await resetPassword(db, { token, newPassword: "claimed-portal-42" });
    await expect(resetPassword(db, { token, newPassword: "again-portal-42" })).rejects.toThrow(/expired or was already used/);
    const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, email));
    expect(user?.passwordHash).toBeTruthy();
  });
});
