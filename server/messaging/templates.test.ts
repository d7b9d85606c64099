import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageSuppressions, outboxMessages, termsAcceptances, users } from "@/db/schema";
import { SMS_OPT_IN_WORDING } from "@/server/schemas/account";
import { staffActor } from "@/server/events/actor";
import { getProgram } from "@/server/services/programs/programs";
import { createTestDb } from "@/server/testing/db";
import { clinicOf, codeOf, DEMO_SLUG, signUpPatient, userByEmail } from "@/server/testing/fixtures";
import { composeForEvent } from "@/server/services/messages/compose";
import { previewTemplate, resetTemplate, saveTemplate, templateOf } from "./settings";
import { slackChannel } from "./channels";
import { patientConsent, setPatientConsent, suppress } from "./consent";
import { deliverMessage } from "./deliver";
import { renderEmail } from "./render";
import { messageLog } from "./store";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let clinic: Awaited<ReturnType<typeof clinicOf>>;
let adminId: string;

beforeAll(async () => {
  handle = await createTestDb();
  clinic = await clinicOf(handle.db, DEMO_SLUG);
  adminId = (await userByEmail(handle.db, "admin@demo.test")).id;
});
afterAll(() => handle.drop());

describe("rule C3: templates per clinic and kind", () => {
  it("variables are escaped on render: a name with markup stays text in the HTML part", async () => {
    const out = await renderEmail({ subject: "Hi {{first_name}}", body: "Hello {{first_name}}\n\n{{portal_link}}", vars: { first_name: `<img src=x onerror=alert(1)> {{portal_link}}`, portal_link: "https://app.test/signin/x" }, senderName: "Clinic & Co", unsubscribe: true });
    expect(out.html).not.toContain("<img");
    expect(out.html).toContain("&lt;img");
    // One pass: a value is never read as a template again.
    expect(out.text).toContain("{{portal_link}}");
    expect(out.text).toContain("Unsubscribe from these emails: {{unsubscribe_link}}");
    expect(out.subject).toBe("Hi <img src=x onerror=alert(1)> {{portal_link}}");
  });

  it("a clinic's own words are used, an unknown variable is refused, preview uses sample data, and reset restores the default", async () => {
    const actor = staffActor(adminId, clinic.id);
    await expect(saveTemplate(handle.db, actor, { clinicId: clinic.id, userId: adminId, kind: "patient.welcome", subject: "Hi", body: "Hello {{ssn}}" })).rejects.toThrow("no variable named {{ssn}}");
    const saved = await saveTemplate(handle.db, actor, { clinicId: clinic.id, userId: adminId, kind: "patient.welcome", subject: "Welcome aboard, {{first_name}}", body: "So glad to see you at {{clinic_name}}.\n\n{{portal_link}}" });
    expect(saved.custom).toBe(true);
    const preview = await previewTemplate({ kind: "patient.welcome", subject: saved.subject, body: saved.body, clinicName: clinic.name });
    expect(preview.subject).toBe("Welcome aboard, Alex");
    expect(preview.text).toContain(`So glad to see you at ${clinic.name}.`);
    const patient = await signUpPatient(handle.db, { email: "tina@tpl.test", firstName: "Tina" });
    const [welcome] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "tina@tpl.test"), eq(outboxMessages.kind, "patient.welcome")));
    expect(welcome?.subject).toBe("Welcome aboard, Tina");
    expect(welcome?.recipientId).toBe(patient.userId);
    const reset = await resetTemplate(handle.db, actor, { clinicId: clinic.id, kind: "patient.welcome" });
    expect(reset).toMatchObject({ custom: false, subject: (await templateOf(handle.db, clinic.id, "patient.welcome")).subject });
    expect(reset.subject).toContain("Welcome to");
  });

  it("rule P14: the referral link appears only once the patient accepted the current terms; before, the message points to the portal", async () => {
    const referrer = await signUpPatient(handle.db, { email: "pia@tpl.test" });
    const code = await codeOf(handle.db, referrer.userId);
    await signUpPatient(handle.db, { code });
    const program = await getProgram({ db: handle.db, clinicId: clinic.id });
    const before = await rewardReadyBody(referrer.userId);
    expect(before).not.toContain(`/r/${code}`);
    expect(before).toContain(`/signin/${DEMO_SLUG}`);
    await handle.db.insert(termsAcceptances).values({ clinicId: clinic.id, patientId: referrer.userId, termsVersion: program.version.termsVersion });
    const after = await rewardReadyBody(referrer.userId);
    expect(after).toContain(`/r/${code}`);
    // Issue 10: the reward email opens the patient's portal, whether or not the link may be shown.
    expect(after).toContain(`/signin/${DEMO_SLUG}`);
  });
});

describe("rule N7: a patient's own opt-ins", () => {
  it("SMS needs a number and records time and wording; turning it on again lifts an earlier STOP; marketing is its own choice", async () => {
    const noPhone = await signUpPatient(handle.db, { email: "nophone@tpl.test" });
    await expect(setPatientConsent(handle.db, { userId: noPhone.userId, clinicId: clinic.id, sms: true, marketing: false, wording: SMS_OPT_IN_WORDING })).rejects.toThrow("mobile number");
    const withPhone = await signUpPatient(handle.db, { email: "phone@tpl.test", phone: "+1 617 555 0199" });
    expect(await patientConsent(handle.db, withPhone.userId)).toEqual({ hasPhone: true, sms: false, marketing: false });
    await suppress(handle.db, { clinicId: clinic.id, address: "+16175550199", kind: "*", reason: "sms_stop" });
    expect(await setPatientConsent(handle.db, { userId: withPhone.userId, clinicId: clinic.id, sms: true, marketing: true, wording: SMS_OPT_IN_WORDING })).toEqual({ hasPhone: true, sms: true, marketing: true });
    const [row] = await handle.db.select({ at: users.smsOptInAt, wording: users.smsOptInWording }).from(users).where(eq(users.id, withPhone.userId));
    expect(row?.at).toBeInstanceOf(Date);
    expect(row?.wording).toBe(SMS_OPT_IN_WORDING);
    expect(await handle.db.select().from(messageSuppressions).where(eq(messageSuppressions.address, "+16175550199"))).toEqual([]);
  });
});

describe("without SMTP or Twilio configured", () => {
  it("a message is still rendered and kept, and the log shows it as it would have been sent, private link hidden", async () => {
    await signUpPatient(handle.db, { email: "newcomer@tpl.test" });
    const [verify] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.to, "newcomer@tpl.test"), eq(outboxMessages.kind, "account.verify_email")));
    expect(verify?.html).toContain("<html");
    await deliverMessage(handle.db, { email: null, sms: null, slack: slackChannel() }, verify?.id ?? "", { lastAttempt: false });
    await deliverMessage(handle.db, { email: null, sms: null, slack: slackChannel() }, verify?.id ?? "", { lastAttempt: false });
    const log = await messageLog(handle.db, { clinicId: clinic.id, limit: 100 });
    const shown = log.find((m) => m.id === verify?.id);
    expect(shown).toMatchObject({ status: "logged", attempts: 1, subject: "Confirm your email address" });
    expect(shown?.body).toContain("[private link, visible only to the recipient]");
    expect(shown?.body).not.toMatch(/\/verify\/[\w-]{20,}/);
  });
});

/** Composes reward.ready for a fresh reward.released event of the patient and returns the text part. */
async function rewardReadyBody(patientId: string): Promise<string> {
  const { emit } = await import("@/server/events/emit");
  const { systemActor } = await import("@/server/events/actor");
  const { randomUUID } = await import("node:crypto");
  const eventId = await handle.db.transaction((tx) =>
    emit(tx, systemActor("test", clinic.id), { type: "reward.released", clinicId: clinic.id, data: { rewardId: randomUUID(), patientId, referralId: null, side: "referrer", kind: "credit", amount: 2500 } }),
  );
  await composeForEvent({ db: handle.db, actor: systemActor("messages.events"), clinicId: null }, { eventId });
  const [row] = await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.eventId, eventId), eq(outboxMessages.kind, "reward.ready")));
  return row?.body ?? "";
}
