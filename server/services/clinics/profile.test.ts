import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, clinics } from "@/db/schema";
import { createTestDb } from "@/server/testing/db";
import { authorizedAs, callerAs, clinicOf, codeOf, DEMO_SLUG, guardAs, userByEmail } from "@/server/testing/fixtures";
import { pageFor } from "@/app/(public)/r/[code]/view";
import { resolveLanding } from "@/server/services/referrals/referrals";
import { logoById, uploadLogo } from "./profile";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let clinicId: string;
let adminId: string;
/** The upload route's context: what the guard authorized for the admin. */
const asAdmin = async () => {
  const caller = await authorizedAs(db, adminId, "admin");
  return { db, actor: caller.actor, clinicId: caller.clinicId };
};

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  clinicId = (await clinicOf(db, DEMO_SLUG)).id;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe("issue 13: the clinic's profile", () => {
  it("an admin sets name, brand colour and contact details, audited with before and after", async () => {
    const admin = callerAs(db, adminId);
    const saved = await admin.clinic.updateProfile({ name: "Maple Street Dental", brandColor: "#0F766E", addressLine: "12 Maple Street, Springfield", phone: "(217) 555-0100", website: "https://maple.example" });
    expect(saved).toMatchObject({ brandColor: "#0f766e", website: "https://maple.example", logoUrl: null });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, "clinic.profile")));
    expect(entry).toMatchObject({ actorId: adminId, after: { brandColor: "#0f766e" } });
  });

  it("a bad colour, a website without https or a NUL is refused with its field and changes nothing", async () => {
    const admin = callerAs(db, adminId);
    const base = { name: "Maple Street Dental", brandColor: null, addressLine: "", phone: "", website: "" };
    await expect(admin.clinic.updateProfile({ ...base, brandColor: "teal" })).rejects.toThrow(/six hex digits/);
    await expect(admin.clinic.updateProfile({ ...base, website: "http://maple.example" })).rejects.toThrow(/starting with https/);
    await expect(admin.clinic.updateProfile({ ...base, addressLine: "12\u0000Maple" })).rejects.toThrow(/control characters/);
    const [clinic] = await db.select({ website: clinics.website }).from(clinics).where(eq(clinics.id, clinicId));
    expect(clinic?.website).toBe("https://maple.example");
  });

  it("a PNG logo is stored in the database and served by its own id; SVG, an empty or a 1 MB+ file is refused", async () => {
    const stored = await uploadLogo(await asAdmin(), { bytes: PNG });
    if (!stored.ok) throw new Error(stored.message);
    const logoId = stored.logoUrl.split("/").at(-1) ?? "";
    const served = await logoById({ db }, { logoId });
    expect(served?.contentType).toBe("image/png");
    expect([...new Uint8Array(served?.bytes ?? [])]).toEqual([...PNG]);
    expect((await callerAs(db, adminId).clinic.clinicProfile()).logoUrl).toBe(stored.logoUrl);
    // The referral landing shows it, named by the clinic for a screen reader.
    const landing = await resolveLanding({ db }, { code: await codeOf(db, (await userByEmail(db, "patient@demo.test")).id) });
    expect(pageFor(landing, { demo: false }).html).toContain(`<img class="logo" src="${stored.logoUrl}" alt="Maple Street Dental"`);

    expect(await uploadLogo(await asAdmin(), { bytes: SVG })).toEqual({ ok: false, status: 400, message: "Use a PNG, JPEG or WebP image for the logo." });
    expect(await uploadLogo(await asAdmin(), { bytes: new Uint8Array() })).toMatchObject({ ok: false, status: 400 });
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(PNG);
    expect(await uploadLogo(await asAdmin(), { bytes: big })).toMatchObject({ ok: false, status: 400, message: "The logo is larger than 1 MB. Use a smaller image." });
    expect((await callerAs(db, adminId).clinic.clinicProfile()).logoUrl).toBe(stored.logoUrl);
  });

  it("staff, a patient and anonymous callers cannot change the logo (rules N1, C5)", async () => {
    expect(await guardAs(db, null, "admin")).toMatchObject({ ok: false, status: 401 });
    expect(await guardAs(db, (await userByEmail(db, "staff@demo.test")).id, "admin")).toMatchObject({ ok: false, status: 403 });
    expect(await guardAs(db, (await userByEmail(db, "patient@demo.test")).id, "admin")).toMatchObject({ ok: false, status: 403 });
  });
});
