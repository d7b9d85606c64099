import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { outboxMessages, programs } from "@/db/schema";
import { DEFAULT_CSP, pageFor, STYLE } from "@/app/(public)/r/[code]/view";
import { renderEmail } from "@/server/messaging/render";
import { brandPalette } from "@/server/schemas/brand";
import { createTestDb } from "@/server/testing/db";
import { callerAs, clinicOf, codeOf, DEMO_SLUG, SECOND_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { resolveLanding } from "@/server/services/referrals/referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let adminId: string;

// Yellow: too light for white text or for links on the page, so every adjustment shows.
const YELLOW = "#ffd500";
const yellow = brandPalette(YELLOW);

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  adminId = (await userByEmail(db, "admin@demo.test")).id;
  await callerAs(db, adminId).clinic.updateProfile({ name: "Maple Street Dental", brandColor: YELLOW, addressLine: "", phone: "", website: "" });
});
afterAll(() => handle.drop());

const styleBlocks = (html: string) => [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] ?? "");
const hashOf = (css: string) => `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
const styleSrc = (csp: string) => csp.split(";").map((d) => d.trim().split(/\s+/)).find(([name]) => name === "style-src")?.slice(1) ?? [];

describe("issue 13: the clinic's brand colour, accessibly (rule N5)", () => {
  it("the landing of a clinic with a colour carries its computed colours, a band in it, and a CSP admitting exactly its stylesheets", async () => {
    expect(yellow.onAccent).not.toBe("#ffffff");
    expect(yellow.text).not.toBe(YELLOW);
    const landing = await resolveLanding({ db }, { code: await codeOf(db, (await userByEmail(db, "patient@demo.test")).id) });
    const page = pageFor(landing, { demo: false });
    expect(page.html).toContain(`--accent:${YELLOW};--on-accent:${yellow.onAccent};--accent-hover:${yellow.accentHover};--accent-text:${yellow.text};--accent-border:${yellow.border}`);
    expect(page.html).toContain('<div class="band" aria-hidden="true"></div>');
    const styles = styleBlocks(page.html);
    expect(styles).toHaveLength(2);
    expect(styles[0]).toBe(STYLE);
    // Every stylesheet on the page is admitted by hash, and nothing else is.
    expect(new Set(styleSrc(page.csp))).toEqual(new Set(styles.map(hashOf)));
    expect(page.csp).not.toContain("unsafe-inline");
  });

  it("a paused program's page wears the colour too", async () => {
    const clinic = await clinicOf(db, DEMO_SLUG);
    await db.update(programs).set({ enabled: false }).where(eq(programs.clinicId, clinic.id));
    try {
      const landing = await resolveLanding({ db }, { code: await codeOf(db, (await userByEmail(db, "patient@demo.test")).id) });
      expect(landing.kind).toBe("paused");
      expect(pageFor(landing, { demo: false }).html).toContain(`--accent:${YELLOW}`);
    } finally {
      await db.update(programs).set({ enabled: true }).where(eq(programs.clinicId, clinic.id));
    }
  });

  it("a clinic without a colour keeps the product's look: one stylesheet, no band, the default CSP", async () => {
    const other = await signUpPatient(db, { clinicSlug: SECOND_SLUG });
    expect((await clinicOf(db, SECOND_SLUG)).brandColor).toBeNull();
    const page = pageFor(await resolveLanding({ db }, { code: await codeOf(db, other.userId) }), { demo: false });
    expect(styleBlocks(page.html)).toEqual([STYLE]);
    expect(STYLE).toContain("--accent:#0f766e;--on-accent:#ffffff;--accent-hover:#0d5f59;--accent-text:#0d5f59");
    expect(page.html).not.toContain('class="band"');
    expect(page.html).not.toContain(YELLOW);
    expect(page.csp).toBe(DEFAULT_CSP);
    expect(styleSrc(page.csp)).toEqual([hashOf(STYLE)]);
  });

  it("a patient's email from the clinic has a header band and a button in its colours, with readable text on them", async () => {
    await signUpPatient(db, { email: "bea@brand.test", firstName: "Bea" });
    const [welcome] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "bea@brand.test"), eq(outboxMessages.kind, "patient.welcome")));
    const html = welcome?.html ?? "";
    expect(html).toMatch(new RegExp(`background-color:${YELLOW}[^"]*"[^>]*>\\s*<tbody>[\\s\\S]*?color:${yellow.onAccent}[^"]*"[^>]*>Maple Street Dental<`));
    // The portal link stands on its own line: a button in the accent with the computed text colour.
    expect(html).toMatch(new RegExp(`<a href="[^"]*/signin/${DEMO_SLUG}"[^>]*style="[^"]*background-color:${YELLOW};color:${yellow.onAccent}`));
    // The verification email (an account email) wears it too.
    const [verify] = await db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "bea@brand.test"), eq(outboxMessages.kind, "account.verify_email")));
    expect(verify?.html).toContain(`background-color:${YELLOW}`);
    // The console's template preview shows the email as the patient gets it.
    const preview = await callerAs(db, adminId).messages.preview({ kind: "patient.welcome", subject: "Hi", body: "Hello\n\n{{portal_link}}" });
    expect(preview.html).toContain(`background-color:${YELLOW};color:${yellow.onAccent}`);
  });

  it("an email without a colour keeps the plain look; links inside a sentence use the text colour, never the light accent", async () => {
    const plain = await renderEmail({ subject: "Hi", body: "Hello\n\nhttps://app.test/x", vars: null, senderName: "Harbor Physio", unsubscribe: false });
    expect(plain.html).not.toContain("background-color:#0f766e");
    expect(plain.html).toContain("color:#1d4ed8");
    const branded = await renderEmail({ subject: "Hi", body: "See {{portal_link}} for more.", vars: { portal_link: "https://app.test/x" }, senderName: "Maple", unsubscribe: false, brandColor: YELLOW });
    expect(branded.html).toContain(`color:${yellow.text}`);
    expect(branded.html).not.toMatch(new RegExp(`[^-]color:${YELLOW}`));
    // The text part is the same either way.
    expect(branded.text).toContain("See https://app.test/x for more.");
  });

  it("the portal gets the clinic's colour with its overview; another clinic's patient gets none", async () => {
    const patient = await userByEmail(db, "patient@demo.test");
    expect((await callerAs(db, patient.id).portal.overview()).brandColor).toBe(YELLOW);
    const other = await signUpPatient(db, { clinicSlug: SECOND_SLUG });
    expect((await callerAs(db, other.userId).portal.overview()).brandColor).toBeNull();
  });
});
