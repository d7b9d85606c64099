import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { staffActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, firstService, key, signUpPatient, userByEmail, paymentEvent } from "@/server/testing/fixtures";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { clinicPatients } from "./list";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

it("lists the clinic's patients with balances derived from the ledger, and finds them by name or email", async () => {
  const clinic = await clinicOf(db, DEMO_SLUG);
  const referrer = await userByEmail(db, "patient@demo.test");
  const staff = await userByEmail(db, "staff@demo.test");
  const secondAdmin = await userByEmail(db, "admin@second.test");
  const { userId } = await signUpPatient(db, { code: await codeOf(db, referrer.id), firstName: "Marisol" });
  await recordPaidOrder({ db, actor: paymentEvent(clinic.id), clinicId: clinic.id }, { patientId: userId, items: [{ serviceId: (await firstService(db, clinic.id)).id, quantity: 1 }], idempotencyKey: key() });

  const all = await clinicPatients({ db, actor: staffActor(staff.id, clinic.id), clinicId: clinic.id }, { search: "" });
  expect(all.find((p) => p.id === referrer.id)?.balanceCents).toBe(5000);
  expect(all.find((p) => p.id === userId)?.balanceCents).toBe(3000);
  expect(all.every((p) => p.email.endsWith("@demo.test") || p.email.endsWith("@example.com"))).toBe(true);

  expect((await clinicPatients({ db, actor: staffActor(staff.id, clinic.id), clinicId: clinic.id }, { search: "mari" })).map((p) => p.id)).toEqual([userId]);
  expect(await clinicPatients({ db, actor: staffActor(staff.id, clinic.id), clinicId: clinic.id }, { search: "100%_" })).toEqual([]);
  const second = await clinicOf(db, "harbor-physio");
  expect((await clinicPatients({ db, actor: staffActor(secondAdmin.id, second.id), clinicId: second.id }, { search: "" })).some((p) => p.id === referrer.id)).toBe(false);
});
