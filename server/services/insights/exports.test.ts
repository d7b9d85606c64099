import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, referralCodes, referrals, users } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, guardAs, codeOf, DEMO_SLUG, firstService, key, SECOND_SLUG, signUpPatient, userByEmail, readerContext } from "@/server/testing/fixtures";
import { exportInput } from "@/server/schemas/exports";
import { csvStream, exportAccess, openExport, referralBatches } from "./exports";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
const who: Record<string, string> = {};
let demoId: string;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  demoId = (await clinicOf(db, DEMO_SLUG)).id;
  for (const [name, email] of Object.entries({ admin: "admin@demo.test", staff: "staff@demo.test", patient: "patient@demo.test", platform: "platform@demo.test", otherAdmin: "admin@second.test" })) {
    who[name] = (await userByEmail(db, email)).id;
  }
  const referrer = who.patient ?? "";
  await signUpPatient(db, { code: await codeOf(db, referrer), firstName: "=HYPERLINK(\"http://evil\")" });
  const qualified = await signUpPatient(db, { code: await codeOf(db, referrer), firstName: "Quinn" });
  await db.update(referrals).set({ status: "qualified", qualifiedAt: new Date() }).where(eq(referrals.id, qualified.referralId ?? ""));
  const old = await signUpPatient(db, { code: await codeOf(db, referrer), firstName: "Olden" });
  await db.update(referrals).set({ createdAt: new Date("2024-03-10T12:00:00Z") }).where(eq(referrals.id, old.referralId ?? ""));
  const otherPatient = await userByEmail(db, "patient@second.test");
  await signUpPatient(db, { clinicSlug: SECOND_SLUG, code: await codeOf(db, otherPatient.id), firstName: "Harborperson" });
});
afterAll(() => handle.drop());

async function exportAs(userId: string | null, kind: string, query: Record<string, string> = {}) {
  const caller = await guardAs(db, userId, "staff");
  if (!caller.ok) return { status: caller.status, rows: [] as Record<string, string>[], text: caller.message };
  // As the route reads it: the export and the caller's access to it first, then the filter.
  const access = exportAccess(caller.user.role, kind);
  if (!access.ok) return { status: access.status, rows: [] as Record<string, string>[], text: access.message };
  const input = exportInput.safeParse({ kind: access.kind, filter: query });
  if (!input.success) return { status: 400, rows: [] as Record<string, string>[], text: input.error.issues[0]?.message ?? "" };
  const result = await openExport({ db, actor: caller.actor, clinicId: caller.clinicId }, { ...input.data, role: caller.user.role });
  if (!result.ok) return { status: result.status, rows: [] as Record<string, string>[], text: result.message };
  // ignoreBOM keeps the byte-order mark in the text, so the test sees what a spreadsheet gets.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(result.stream).arrayBuffer());
  return { status: 200, text, rows: parse(text, { columns: true, bom: true }) as Record<string, string>[] };
}

describe("rule C6: CSV exports for the current filter", () => {
  it("referrals: the clinic's rows for the filter, with names, statuses, dollars and ISO dates", async () => {
    const all = await exportAs(who.staff ?? "", "referrals");
    expect(all.status).toBe(200);
    expect(all.text.charCodeAt(0)).toBe(0xfeff);
    expect(all.rows.map((r) => r["New patient first name"]).sort()).toEqual(["'=HYPERLINK(\"http://evil\")", "Olden", "Quinn"]);
    const quinn = all.rows.find((r) => r["New patient first name"] === "Quinn");
    expect(quinn).toMatchObject({ Status: "qualified", "Referrer first name": "Alex", "Referrer email": "patient@demo.test", "Referrer reward": "$50 credit", "New patient reward": "$30 credit" });
    expect(quinn?.["Signed up at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const qualifiedOnly = await exportAs(who.staff ?? "", "referrals", { status: "qualified" });
    expect(qualifiedOnly.rows.map((r) => r["New patient first name"])).toEqual(["Quinn"]);
    const march = await exportAs(who.admin ?? "", "referrals", { from: "2024-03-10", to: "2024-03-10" });
    expect(march.rows.map((r) => r["New patient first name"])).toEqual(["Olden"]);
    const since = await exportAs(who.admin ?? "", "referrals", { from: "2024-03-11", page: "3" });
    expect(since.rows).toHaveLength(2);
  });

  it("rule N1: the second clinic's rows never appear, and its admin sees only its own", async () => {
    const demo = await exportAs(who.admin ?? "", "referrals");
    expect(demo.text).not.toContain("Harborperson");
    const other = await exportAs(who.otherAdmin ?? "", "referrals");
    expect(other.rows.map((r) => r["New patient first name"])).toEqual(["Harborperson"]);
    expect(other.text).not.toContain("patient@demo.test");
    const otherLedger = await exportAs(who.otherAdmin ?? "", "ledger");
    expect(otherLedger.text).not.toContain("demo.test");
  });

  it("is refused to anonymous, patients, the platform admin, and staff for the audit log; bad filters say why", async () => {
    expect((await exportAs(null, "referrals")).status).toBe(401);
    expect((await exportAs(who.patient ?? "", "referrals")).status).toBe(403);
    expect((await exportAs(who.patient ?? "", "ledger")).status).toBe(403);
    expect((await exportAs(who.platform ?? "", "referrals")).status).toBe(403);
    expect((await exportAs(who.staff ?? "", "audit")).status).toBe(403);
    expect((await exportAs(who.admin ?? "", "constructor")).status).toBe(404);
    const bad = await exportAs(who.admin ?? "", "referrals", { from: "2024-05-01", to: "2024-04-01" });
    expect([bad.status, bad.text]).toEqual([400, "The From date must be on or before the To date."]);
    expect((await exportAs(who.admin ?? "", "referrals", { status: "paid" })).text).toBe("Choose a status from the list.");
  });

  it("rule N3: every export is written to the audit log with its filter", async () => {
    const before = await db.select().from(auditLog).where(eq(auditLog.actorId, who.staff ?? ""));
    await exportAs(who.staff ?? "", "ledger", { kind: "grant" });
    const after = await db.select().from(auditLog).where(and(eq(auditLog.actorId, who.staff ?? ""), eq(auditLog.action, "export.ledger")));
    expect(after.length).toBe(before.filter((a) => a.action === "export.ledger").length + 1);
    expect(after.at(-1)?.after).toEqual({ filter: { kind: "grant" } });
    expect(after.at(-1)?.clinicId).toBe(demoId);
    const audit = await exportAs(who.admin ?? "", "audit", { action: "export.ledger" });
    expect(audit.rows.map((r) => [r.Action, r["Staff email"]])).toContainEqual(["export.ledger", "staff@demo.test"]);
  });
});

describe("rule C6: large exports stream in batches", () => {
  it("3,500 referrals written in one instant come out exactly once each, 1,000 per batch", async () => {
    const referrer = who.patient ?? "";
    const [code] = await db.select().from(referralCodes).where(eq(referralCodes.patientId, referrer));
    await db.execute(sql`
      with bulk as (
        insert into ${users} (clinic_id, role, email, email_normalized, first_name, last_name)
        select ${demoId}, 'patient', 'bulk' || g || '@example.com', 'bulk' || g || '@example.com', 'Bulk', 'Person' || g
          from generate_series(1, 3500) g
        returning id
      )
      insert into ${referrals} (clinic_id, referrer_id, referee_id, code_id, source, program_version_id)
      select ${demoId}, ${referrer}, id, ${code?.id}, 'link', (select current_version_id from programs where clinic_id = ${demoId}) from bulk`);

    const sizes: number[] = [];
    for await (const batch of referralBatches(readerContext(db, demoId), { filter: {}, batchSize: 1000 })) sizes.push(batch.length);
    expect(sizes).toEqual([1000, 1000, 1000, 503]);

    const { rows } = await exportAs(who.staff ?? "", "referrals");
    expect(rows).toHaveLength(3503);
    expect(new Set(rows.map((r) => r["Referral ID"])).size).toBe(3503);
  });

  it("the stream reads a batch only when the reader asks for more", async () => {
    let pulled = 0;
    async function* batches() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield [[`row ${i}`, i * 100, null]];
      }
    }
    const reader = csvStream(["Name", "Amount", "Empty"], batches()).getReader();
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    expect(decoder.decode((await reader.read()).value)).toBe("\ufeffName,Amount,Empty\n");
    expect(decoder.decode((await reader.read()).value)).toBe("row 0,0.00,\n");
    expect(pulled).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it("cells a spreadsheet would run are defused; negative amounts stay numbers", async () => {
    async function* batches() {
      yield [["=1+1", -1.5, null], ["+A1", 0, "@SUM(A1)"], ["-2+3", 123.45, "plain"]];
    }
    const text = await new Response(csvStream(["A", "B", "C"], batches())).text();
    expect(text).toBe("A,B,C\n'=1+1,-1.50,\n'+A1,0.00,'@SUM(A1)\n'-2+3,123.45,plain\n");
  });
});

// Last: its referral would change the counts of the tests above.
describe("rule C6: the ledger CSV", () => {
  it("has a row per entry: grants with their reward, a redemption with its order, negative and in dollars; filters by type and date", async () => {
    const service = await firstService(db, demoId);
    const order = (patientId: string) => callerAs(db, who.staff ?? "").clinic.recordOrder({ patientId, items: [{ serviceId: service.id, quantity: 1 }], idempotencyKey: key() });
    const referrer = await signUpPatient(db, { firstName: "Ledgerly" });
    const friend = await signUpPatient(db, { code: await codeOf(db, referrer.userId), firstName: "Ledgerfriend" });
    await order(friend.userId);
    const spend = await order(referrer.userId);
    expect(spend.creditAppliedCents).toBe(5_000);

    const all = await exportAs(who.staff ?? "", "ledger");
    expect(all.status).toBe(200);
    const mine = (email: string) => all.rows.filter((r) => r["Patient email"] === email);
    const referrerRows = mine(referrer.email);
    expect(referrerRows.map((r) => [r.Type, r["Amount ($ or points)"], r["Patient first name"]]).sort()).toEqual([
      ["grant", "50.00", "Ledgerly"],
      ["redemption", "-50.00", "Ledgerly"],
    ]);
    const grant = referrerRows.find((r) => r.Type === "grant");
    const redemption = referrerRows.find((r) => r.Type === "redemption");
    expect(grant?.["Reward ID"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(redemption?.["Order ID"]).toBe(spend.id);
    expect(grant?.Date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(mine(friend.email).map((r) => [r.Type, r["Amount ($ or points)"]])).toEqual([["grant", "30.00"]]);

    const grants = await exportAs(who.staff ?? "", "ledger", { kind: "grant" });
    expect(new Set(grants.rows.map((r) => r.Type))).toEqual(new Set(["grant"]));
    expect(grants.rows.filter((r) => r["Patient email"] === referrer.email)).toHaveLength(1);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await exportAs(who.staff ?? "", "ledger", { from: tomorrow })).rows).toEqual([]);
    // Rule N1: none of it reaches the other clinic.
    expect((await exportAs(who.otherAdmin ?? "", "ledger")).text).not.toContain(referrer.email);
  });
});
