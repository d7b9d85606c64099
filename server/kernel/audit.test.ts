import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, DEMO_SLUG, userByEmail } from "@/server/testing/fixtures";
import { staffActor } from "@/server/events/actor";
import { auditBy } from "./audit";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

it("rule C4: an audit entry commits with its change, and the database refuses to edit or delete it", async () => {
  const clinic = await clinicOf(db, DEMO_SLUG);
  const admin = await userByEmail(db, "admin@demo.test");
  await expect(
    db.transaction(async (tx) => {
      await auditBy(tx, staffActor(admin.id, clinic.id), { clinicId: clinic.id, action: "test.rolled_back", targetType: "clinic", targetId: clinic.id, reason: "x" });
      throw new Error("the change failed");
    }),
  ).rejects.toThrow("the change failed");
  expect(await db.select().from(auditLog).where(eq(auditLog.action, "test.rolled_back"))).toEqual([]);

  await auditBy(db, staffActor(admin.id, clinic.id), { clinicId: clinic.id, action: "test.kept", targetType: "clinic", targetId: clinic.id, reason: "kept" });
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "test.kept"));
  if (!entry) throw new Error("no entry");
  await expect(db.update(auditLog).set({ reason: "rewritten" }).where(eq(auditLog.id, entry.id))).rejects.toThrow();
  await expect(db.delete(auditLog).where(eq(auditLog.id, entry.id))).rejects.toThrow();
  const [after] = await db.select().from(auditLog).where(eq(auditLog.id, entry.id));
  expect(after?.reason).toBe("kept");
});
