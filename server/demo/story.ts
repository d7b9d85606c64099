import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { b2bReferrals, type CLICK_CHANNELS, clinics, referralCodes, services, users } from "@/db/schema";
import { staffActor } from "@/server/events/actor";
import { registerPatient } from "@/server/services/patients/sign-up";
import { acceptReferral, markWon, rejectReferral, startReview } from "@/server/services/partners/lifecycle";
import { recordPayment } from "@/server/services/partners/payments";
import { approveRun, markItemPaid, runDetail, runPayouts } from "@/server/services/partners/payouts";
import { submitReferral } from "@/server/services/partners/submissions";
import { atTime } from "@/server/kernel/clock";
import type { PlatformContext } from "@/server/kernel/context";
import { updateClinicProfile } from "@/server/services/clinics/profile";
import { DAILY_JOB_ACTOR, runPatientProgramDaily } from "@/server/services/rewards/expiry";
import { addPatientAtDesk } from "@/server/services/patients/front-desk";
import { recordPaidOrder } from "@/server/services/orders/orders";
import { getProgram, settingsOf, updateProgram } from "@/server/services/programs/programs";
import { attributionCookieValue, recordClick } from "@/server/services/referrals/referrals";
import { rollUpStats } from "@/server/services/insights/rollup";
import { DEMO } from "./accounts";

/**
 * Issue 13: the demo clinic's last 90 days, told through the services a clinic uses, each step
 * at its own moment (`atTime`), so every rule holds as it would have: attribution windows,
 * velocity, expiry, credit applied at checkout, partner payouts from money received. The cast
 * are other patients of the clinic: patient@demo.test and patient2@demo.test take no part, so
 * their histories stay short and clean. Deterministic: the same days, people and amounts each time.
 */

const DAY_MS = 86_400_000;
const DAYS = 90;

/** A calendar day, as the partner program's dates are kept. */
const day = (at: Date) => at.toISOString().slice(0, 10);

type Channel = (typeof CLICK_CHANNELS)[number];

/** The clinic's patients who share their links; the front desk added them on the story's first days. */
const REFERRERS = [
  { firstName: "Priya", lastName: "Shah", email: "priya.shah@demo.test", share: 2.2 },
  { firstName: "Marcus", lastName: "Lee", email: "marcus.lee@demo.test", share: 1.6 },
  { firstName: "Elena", lastName: "Garcia", email: "elena.garcia@demo.test", share: 1.2 },
  { firstName: "Tom", lastName: "Becker", email: "tom.becker@demo.test", share: 0.6 },
  { firstName: "Aisha", lastName: "Rahman", email: "aisha.rahman@demo.test", share: 0.7 },
  { firstName: "Ben", lastName: "Carter", email: "ben.carter@demo.test", share: 0.4 },
] as const;

type Friend = { by: number; joins: number; firstVisit?: number; secondVisit?: number; atDesk?: true; disposable?: true };

/**
 * Friends who joined through a link (a click, then sign-up within the window), or at the counter;
 * `firstVisit` is the paid visit that qualifies the referral (rule P7).
 */
const FRIENDS: Friend[] = [
  { by: 0, joins: 3, firstVisit: 7, secondVisit: 50 },
  { by: 0, joins: 11, firstVisit: 15 },
  { by: 0, joins: 19, firstVisit: 23 },
  { by: 0, joins: 30, firstVisit: 34 },
  { by: 0, joins: 44, firstVisit: 48 },
  { by: 0, joins: 58, firstVisit: 62 },
  { by: 0, joins: 71, firstVisit: 78 },
  { by: 0, joins: 83 },
  { by: 1, joins: 5, firstVisit: 8, secondVisit: 72 },
  { by: 1, joins: 16, firstVisit: 19 },
  { by: 1, joins: 27, firstVisit: 30, secondVisit: 41 },
  { by: 1, joins: 49, firstVisit: 52 },
  { by: 1, joins: 66, firstVisit: 69 },
  { by: 1, joins: 80 },
  { by: 2, joins: 9, firstVisit: 14 },
  { by: 2, joins: 24, firstVisit: 31 },
  { by: 2, joins: 52, firstVisit: 57, secondVisit: 84 },
  { by: 2, joins: 63 },
  { by: 2, joins: 86 },
  { by: 3, joins: 6, firstVisit: 9 },
  { by: 3, joins: 12, firstVisit: 15 },
  { by: 3, joins: 55 },
  { by: 4, joins: 21, firstVisit: 26 },
  { by: 4, joins: 45, firstVisit: 45, atDesk: true },
  { by: 4, joins: 47, firstVisit: 55 },
  { by: 4, joins: 75, firstVisit: 81 },
  { by: 5, joins: 34, firstVisit: 38 },
  // Signed up from a throwaway address: the referral waits in the review queue (rule P10).
  { by: 5, joins: 87, disposable: true },
];

/** Referrers coming back for care: their credit is applied by itself (rule P9). Tom never does, so his expires. */
const RETURN_VISITS = [
  { by: 0, day: 40, service: "Teeth whitening" },
  { by: 0, day: 85, service: "Check-up and cleaning" },
  { by: 1, day: 60, service: "Dental X-rays" },
  { by: 1, day: 60, service: "Check-up and cleaning" },
  { by: 2, day: 70, service: "Check-up and cleaning" },
  { by: 4, day: 60, service: "Emergency visit" },
];

/** New patients who came without anyone's code. */
const WALK_INS = [10, 33, 61, 77];

const FRIEND_NAMES = [
  ["Noah", "Williams"], ["Olivia", "Brown"], ["Liam", "Jones"], ["Emma", "Miller"], ["Mateo", "Davis"], ["Ava", "Wilson"],
  ["Lucas", "Moore"], ["Mia", "Taylor"], ["Ethan", "Anderson"], ["Sofia", "Thomas"], ["Leo", "Jackson"], ["Chloe", "White"],
  ["Henry", "Harris"], ["Zoe", "Martin"], ["Owen", "Thompson"], ["Nora", "Martinez"], ["Jack", "Robinson"], ["Layla", "Clark"],
  ["Caleb", "Rodriguez"], ["Grace", "Lewis"], ["Isaac", "Walker"], ["Ruby", "Hall"], ["Eli", "Allen"], ["Hazel", "Young"],
  ["Miles", "King"], ["Ivy", "Wright"], ["Jonah", "Scott"], ["Stella", "Green"], ["Felix", "Baker"], ["Alice", "Adams"],
  ["Theo", "Nelson"], ["Clara", "Hill"],
] as const;

/** Channel weights of a clinic whose patients mostly text their link. */
const CHANNELS: [Channel, number][] = [["sms", 34], ["share", 22], ["email", 16], ["copy", 14], ["qr", 9], ["other", 5]];

/** A small seeded generator (mulberry32): the story is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hex = (next: () => number) => Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");

export type StoryCounts = { clicks: number; signUps: number; qualified: number; partnerReferrals: number };

/** The story's first day: midnight UTC, 90 days before `today`. */
export const storyStart = (today: Date) => new Date(Math.floor(today.getTime() / DAY_MS) * DAY_MS - DAYS * DAY_MS);

/** Writes the 90 days before `today` for the demo clinic. Runs inside the seed's transaction. */
export async function tellDemoStory(db: Db, { today = new Date() }: { today?: Date } = {}): Promise<StoryCounts> {
  const start = storyStart(today).getTime();
  /** Day `d` of the story (0 is 90 days ago) at `hour` UTC, daytime in the clinic's zone. */
  const at = (d: number, hour: number, minute = 0) => new Date(start + d * DAY_MS + hour * 3_600_000 + minute * 60_000);
  const next = random(20_261_201);

  const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, DEMO.clinic.slug));
  if (!clinic) throw new Error("the demo clinic is seeded before its story");
  const staffOf = async (email: string) => {
    const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.clinicId, clinic.id), eq(users.email, email)));
    if (!row) throw new Error(`demo account ${email} missing`);
    return staffActor(row.id, clinic.id);
  };
  const admin = await staffOf("admin@demo.test");
  const frontDesk = await staffOf("staff@demo.test");
  const [platformAdmin] = await db.select({ id: users.id }).from(users).where(eq(users.role, "platform_admin")).limit(1);
  if (!platformAdmin) throw new Error("the platform admin is seeded before the story");
  const platform = staffActor(platformAdmin.id, null);
  const serviceIds = new Map((await db.select({ id: services.id, name: services.name }).from(services).where(eq(services.clinicId, clinic.id))).map((s) => [s.name, s.id]));
  const item = (name: string) => {
    const serviceId = serviceIds.get(name);
    if (!serviceId) throw new Error(`demo service ${name} missing`);
    return [{ serviceId, quantity: 1 }];
  };
  let orderNumber = 0;
  const visit = (patientId: string, when: Date, service: string) =>
    atTime(db, when, (tx) => recordPaidOrder({ db: tx, actor: frontDesk, clinicId: clinic.id }, { patientId, items: item(service), idempotencyKey: `demo-story-order-${++orderNumber}` }));

  // Day 0: the admin fills in the clinic's profile, shown on its referral page and emails.
  await atTime(db, at(0, 13), (tx) =>
    updateClinicProfile({ db: tx, actor: admin, clinicId: clinic.id }, { name: clinic.name, brandColor: null, addressLine: "214 Maple Street, New York, NY 10001", phone: "(212) 555-0100", website: "https://maplestreetdental.example" }),
  );

  // Day 0: the clinic tries rewards that expire after 60 days (rule P12); on day 40 it goes back
  // to rewards that never expire. Referrals keep the terms they were made under.
  const original = settingsOf(await getProgram({ db, clinicId: clinic.id }));
  await atTime(db, at(0, 13), (tx) => updateProgram({ db: tx, actor: admin, clinicId: clinic.id }, { settings: { ...original, rewardExpiryDays: 60 } }));

  const referrers: { id: string; code: string; codeId: string }[] = [];
  for (const [i, r] of REFERRERS.entries()) {
    const added = await atTime(db, at(Math.min(i, 2), 15, i * 7), (tx) => addPatientAtDesk({ db: tx, actor: frontDesk, clinicId: clinic.id }, { firstName: r.firstName, lastName: r.lastName, email: r.email }));
    const [code] = await db.select({ id: referralCodes.id, code: referralCodes.code }).from(referralCodes).where(and(eq(referralCodes.patientId, added.patientId), isNull(referralCodes.rotatedAt)));
    if (!code) throw new Error("a patient without a code (rule P2)");
    referrers.push({ id: added.patientId, code: code.code, codeId: code.id });
  }

  type Event = { when: Date; run: () => Promise<void> };
  const timeline: Event[] = [];
  const counts: StoryCounts = { clicks: 0, signUps: 0, qualified: 0, partnerReferrals: 0 };
  const click = (by: number, when: Date, channel: Channel) => {
    const referrer = referrers[by] as (typeof referrers)[number];
    counts.clicks++;
    return atTime(db, when, (tx) =>
      recordClick({ db: tx }, { clinicId: clinic.id, codeId: referrer.codeId, patientId: referrer.id, channel, utmSource: null, utmMedium: null, utmCampaign: null, ipHash: hex(next), userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)" }),
    );
  };
  const pickChannel = (): Channel => {
    let roll = next() * CHANNELS.reduce((sum, [, w]) => sum + w, 0);
    for (const [channel, weight] of CHANNELS) if ((roll -= weight) < 0) return channel;
    return "other";
  };

  // Clicks on shared links every day, a third more at weekends, when people catch up on messages.
  for (let d = 0; d < DAYS; d++) {
    const weekend = [0, 6].includes(at(d, 12).getUTCDay()) ? 1.35 : 1;
    for (const [by, r] of REFERRERS.entries()) {
      const n = Math.round(r.share * weekend * (0.8 + next() * 0.9));
      for (let k = 0; k < n; k++) {
        const when = at(d, 13 + Math.floor(next() * 10), Math.floor(next() * 60));
        timeline.push({ when, run: () => click(by, when, pickChannel()) });
      }
    }
  }

  const password = `story-${hex(next)}`;
  for (const [n, f] of FRIENDS.entries()) {
    const [firstName, lastName] = FRIEND_NAMES[n] as readonly [string, string];
    const email = f.disposable ? `${firstName.toLowerCase()}${n}@mailinator.com` : `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`;
    const referrer = referrers[f.by] as (typeof referrers)[number];
    const opened = at(f.joins, 16, n % 50);
    const joined = at(f.joins, 17, n % 50);
    let patientId = "";
    if (f.atDesk) {
      timeline.push({ when: joined, run: async () => {
        const added = await atTime(db, joined, (tx) => addPatientAtDesk({ db: tx, actor: frontDesk, clinicId: clinic.id }, { firstName, lastName, email, referralCode: referrer.code }));
        patientId = added.patientId;
        counts.signUps++;
      } });
    } else {
      timeline.push({ when: opened, run: () => click(f.by, opened, pickChannel()) });
      timeline.push({ when: joined, run: async () => {
        const result = await atTime(db, joined, (tx) =>
          registerPatient({ db: tx }, { clinicSlug: clinic.slug, firstName, lastName, email, password, referralCode: undefined, attributionCode: attributionCookieValue(referrer.code, opened), fingerprint: { ipHash: hex(next), deviceHash: hex(next) }, now: joined }),
        );
        if (!result.created) throw new Error(`story patient ${email} already existed`);
        patientId = result.userId;
        counts.signUps++;
      } });
    }
    if (f.firstVisit !== undefined) {
      const when = at(f.firstVisit, 19, n);
      timeline.push({ when, run: async () => { await visit(patientId, when, "Check-up and cleaning"); counts.qualified++; } });
    }
    if (f.secondVisit !== undefined) {
      const when = at(f.secondVisit, 20, n);
      timeline.push({ when, run: async () => void (await visit(patientId, when, "Dental X-rays")) });
    }
  }
  for (const v of RETURN_VISITS) {
    const when = at(v.day, 21, v.by);
    timeline.push({ when, run: async () => void (await visit((referrers[v.by] as { id: string }).id, when, v.service)) });
  }
  for (const [n, d] of WALK_INS.entries()) {
    const [firstName, lastName] = FRIEND_NAMES[FRIENDS.length + n] as readonly [string, string];
    const when = at(d, 14, 30);
    timeline.push({ when, run: async () => {
      const added = await atTime(db, when, (tx) => addPatientAtDesk({ db: tx, actor: frontDesk, clinicId: clinic.id }, { firstName, lastName, email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com` }));
      await visit(added.patientId, at(d, 15, 30), "Emergency visit");
    } });
  }
  timeline.push({ when: at(40, 13), run: async () => void (await atTime(db, at(40, 13), (tx) => updateProgram({ db: tx, actor: admin, clinicId: clinic.id }, { settings: original }))) });
  // The clinic's daily run at 03:00 local (about 08:00 UTC): expiry and reminders (rules P12, A6).
  for (let d = 1; d < DAYS; d++) timeline.push({ when: at(d, 8), run: async () => void (await atTime(db, at(d, 8), (tx) => runPatientProgramDaily({ db: tx, actor: DAILY_JOB_ACTOR, clinicId: clinic.id }, { now: at(d, 8) }))) });
  partnerStory(timeline, db, { at, adminId: admin.id, platform, counts });

  timeline.sort((a, b) => a.when.getTime() - b.when.getTime());
  for (const event of timeline) await event.run();
  // The dashboard's charts read the daily rollups (closed days up to yesterday).
  await rollUpStats({ db, clinicId: clinic.id });
  return counts;
}

/**
 * The partner program: the demo clinic's admin refers five practices (rule B1); the platform
 * team works them to each state; the won one pays its monthly fee, earning the clinic a 10%
 * share (rule B4), and the first month's payout is run, approved and paid (rule B6).
 */
function partnerStory(
  timeline: { when: Date; run: () => Promise<void> }[],
  db: Db,
  { at, adminId, platform, counts }: { at: (d: number, hour: number, minute?: number) => Date; adminId: string; platform: ReturnType<typeof staffActor>; counts: StoryCounts },
) {
  const practices = [
    { day: 4, name: "Northside Pediatric Dental", city: "New York", postal: "10025", phone: "+12125550142", web: "northsidepediatric.example" },
    { day: 18, name: "Bayview Chiropractic", city: "Brooklyn", postal: "11209", phone: "+17185550163", web: "bayviewchiro.example" },
    { day: 33, name: "Summit Eye Care", city: "Newark", postal: "07102", phone: "+19735550118", web: "summiteyecare.example" },
    { day: 61, name: "Elm Street Orthodontics", city: "Hoboken", postal: "07030", phone: "+12015550190", web: "elmstreetortho.example" },
    { day: 84, name: "Willow Family Medicine", city: "Jersey City", postal: "07302", phone: "+12015550127", web: "willowfamily.example" },
  ];
  const ids: string[] = [];
  for (const [i, p] of practices.entries()) {
    const when = at(p.day, 15);
    timeline.push({ when, run: async () => {
      await atTime(db, when, (tx) =>
        submitReferral(
          { db: tx },
          {
            referrerName: "Morgan Reyes", referrerEmail: "admin@demo.test", referrerPhone: "+12125550100", referrerOrganization: DEMO.clinic.name, relationship: "practice_owner",
            practiceName: p.name, contactName: "Office manager", practiceEmail: `office@${p.web}`, practicePhone: p.phone, website: p.web,
            addressLine: `${100 + i * 11} Main Street`, city: p.city, region: p.postal.startsWith("0") ? "NJ" : "NY", postalCode: p.postal, country: "US",
            ageConfirmed: true, noConflictDeclared: true, termsAccepted: true, nickname: "", idempotencyKey: `demo-story-partner-${i}`,
            ipHash: null, sessionUserId: adminId,
          },
        ),
      );
      const [row] = await db.select({ id: b2bReferrals.id }).from(b2bReferrals).where(eq(b2bReferrals.practiceName, p.name));
      if (!row) throw new Error("the partner referral was not recorded");
      ids[i] = row.id;
      counts.partnerReferrals++;
    } });
  }
  // The platform team acts, for no clinic.
  const step = (d: number, hour: number, work: (referralId: (i: number) => string, tx: PlatformContext) => Promise<unknown>) => {
    const when = at(d, hour);
    timeline.push({ when, run: async () => void (await atTime(db, when, (tx) => work((i) => ids[i] as string, { db: tx, actor: platform, clinicId: null }))) });
  };
  step(6, 14, (id, tx) => startReview(tx, { referralId: id(0) }));
  step(9, 14, (id, tx) => acceptReferral(tx, { referralId: id(0) }));
  step(26, 14, (id, tx) => markWon(tx, { referralId: id(0), contractStart: day(at(27, 0)), launchDate: day(at(30, 0)), plan: "Growth", monthlyFeeCents: 40_000 }));
  step(21, 14, (id, tx) => startReview(tx, { referralId: id(1) }));
  step(29, 14, (id, tx) => acceptReferral(tx, { referralId: id(1) }));
  step(35, 14, (id, tx) => rejectReferral(tx, { referralId: id(2), reason: "The practice already works with us." }));
  step(63, 14, (id, tx) => startReview(tx, { referralId: id(3) }));
  // The won practice pays its fee each month; each payment earns the share.
  for (const [m, d] of [31, 61].entries()) {
    step(d, 16, (id, tx) =>
      recordPayment(tx, { referralId: id(0), kind: "maintenance", amountCents: 40_000, receivedOn: day(at(d, 0)), periodStart: day(at(d, 0)), periodEnd: day(at(d + 29, 0)), idempotencyKey: `demo-story-fee-${m}`, asOf: day(at(d, 0)) }),
    );
  }
  // The first full month's payout: run on the 1st after it, approved, paid.
  const firstPayment = at(31, 0);
  const month = firstPayment.toISOString().slice(0, 7);
  const payDay = Math.round((Date.UTC(firstPayment.getUTCFullYear(), firstPayment.getUTCMonth() + 1, 1) - at(0, 0).getTime()) / 86_400_000);
  step(payDay, 15, (_id, tx) => runPayouts(tx, { month }));
  step(payDay + 1, 15, (_id, tx) => approveRun(tx, { month }));
  step(payDay + 3, 15, async (_id, tx) => {
    const detail = await runDetail(tx, { month });
    for (const item of detail.items) await markItemPaid(tx, { itemId: item.id, reference: `ACH-${month}-${item.id.slice(0, 6)}` });
  });
}
