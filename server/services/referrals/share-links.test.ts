import jsQR from "jsqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { patientActor, staffActor } from "@/server/events/actor";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { qrSvg, shareLinks } from "./share-links";
import { acceptTerms } from "./terms";

/** Rule P3: what the portal's link card shows and sends carries the patient's own link. */
let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(() => handle.drop());

/** Reads the QR code out of the SVG the portal shows: its dark modules drawn as pixels, then decoded by jsQR. */
function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? "";
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHh])([\d.]+)(?:\s([\d.]+))?/g)) {
    const n = Number(a);
    if (command === "M") [x, y] = [n, Number(b)];
    else if (command === "m") [x, y] = [x + n, y + Number(b)];
    else {
      for (let i = 0; i < n; i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += n;
    }
  }
  const scale = 8;
  const pixels = size * scale;
  const rgba = new Uint8ClampedArray(pixels * pixels * 4).fill(255);
  for (let py = 0; py < pixels; py++) {
    for (let px = 0; px < pixels; px++) {
      if (!dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`)) continue;
      const at = (py * pixels + px) * 4;
      rgba[at] = rgba[at + 1] = rgba[at + 2] = 0;
    }
  }
  return jsQR(rgba, pixels, pixels)?.data ?? null;
}

async function patientWithLink() {
  const { userId } = await signUpPatient(db);
  const clinic = await clinicOf(db, DEMO_SLUG);
  await acceptTerms({ db, actor: patientActor(userId, clinic.id), clinicId: clinic.id }, { patientId: userId, termsVersion: (await getProgram({ db, clinicId: clinic.id })).version.termsVersion });
  const overview = await callerAs(db, userId).portal.overview();
  return { userId, overview };
}

describe("rule P3: sharing the link", () => {
  it("the QR code the portal shows decodes to the patient's own link", async () => {
    const { userId, overview } = await patientWithLink();
    const code = await codeOf(db, userId);
    expect(overview.code).toBe(code);
    const links = shareLinks({ origin: "https://app.example", code, clinicName: overview.clinicName, message: "Come along" });
    expect(links.link).toBe(`https://app.example/r/${code}`);
    expect(decodeQrSvg(await qrSvg(links.qr))).toBe(`https://app.example/r/${code}?via=qr`);
  });

  it("copy, share, email and text message each carry the link, tagged with their channel", () => {
    const links = shareLinks({ origin: "https://app.example", code: "ACDEFGHJKM", clinicName: "Maple Street Dental", message: "Come along & see" });
    const link = "https://app.example/r/ACDEFGHJKM";
    expect(links.copy).toBe(`${link}?via=copy`);
    expect(links.share).toBe(`${link}?via=share`);
    const email = new URL(links.emailHref);
    expect(email.protocol).toBe("mailto:");
    expect(email.searchParams.get("subject")).toBe("Join me at Maple Street Dental");
    expect(email.searchParams.get("body")).toBe(`Come along & see\n\n${link}?via=email`);
    const sms = new URL(links.smsHref);
    expect(sms.protocol).toBe("sms:");
    expect(sms.searchParams.get("body")).toBe(`Come along & see ${link}?via=sms`);
  });

  it("the learn-more link is the patient's own clinic's: its terms page by default, or the address that clinic set", async () => {
    const { overview } = await patientWithLink();
    expect(overview.learnMoreHref).toBe(`/terms/${DEMO_SLUG}`);
    const second = await userByEmail(db, "patient@second.test");
    expect((await callerAs(db, second.id).portal.overview()).learnMoreHref).toBe(`/terms/${SECOND_SLUG}`);

    const clinic = await clinicOf(db, DEMO_SLUG);
    const admin = await userByEmail(db, "admin@demo.test");
    const settings = settingsOf(await getProgram({ db, clinicId: clinic.id }));
    await updateProgram({ db, actor: staffActor(admin.id, clinic.id), clinicId: clinic.id }, { settings: { ...settings, learnMoreUrl: "https://maple.example/referrals" } });
    expect((await patientWithLink()).overview.learnMoreHref).toBe("https://maple.example/referrals");
    // Another clinic's setting never reaches this one.
    expect((await callerAs(db, second.id).portal.overview()).learnMoreHref).toBe(`/terms/${SECOND_SLUG}`);
  });
});
