import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Db } from "@/db/client";
import { activityEvents } from "@/db/schema";
import { createTestDb, itConcurrently } from "@/server/testing/db";
import { waitUntil } from "@/server/testing/queue";
import { codeOf, userByEmail } from "@/server/testing/fixtures";
import { ClickBatcher } from "./click-batcher";
import { clickFromRequest } from "@/server/http/clicks";
import { openReferralLink, resolveLanding, type ClickInput } from "./referrals";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let db: Db;
let code: string;
let base: Omit<ClickInput, "utmCampaign">;
/** A second, independent session: what it sees is committed. */
let other: postgres.Sql;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const referrer = await userByEmail(db, "patient@demo.test");
  code = await codeOf(db, referrer.id);
  const landing = await resolveLanding({ db }, { code });
  if (landing.kind !== "active") throw new Error("expected an active code");
  base = { clinicId: landing.clinic.id, codeId: landing.codeId, patientId: referrer.id, channel: "qr", utmSource: null, utmMedium: null, ipHash: null, userAgent: null };
  if (handle.kind === "postgres") other = postgres(handle.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await other?.end();
  await handle.drop();
});

const committedWith = async (tags: string[]) =>
  (await other`select utm_campaign from activity_events where type = 'click' and utm_campaign in ${other(tags)}`).map((r) => r.utm_campaign as string);

/** Another session holds activity_events in exclusive mode until `release`: a flush's insert waits on it. */
function lockClicks() {
  let release = () => {};
  const locked = new Promise<void>((resolve, reject) => {
    other
      .begin(async (sql) => {
        await sql`lock table activity_events in exclusive mode`;
        resolve();
        await new Promise<void>((r) => (release = r));
      })
      .catch(reject);
  });
  return { locked, release: () => release() };
}

const waitingOnClicks = async () => Number((await other`select count(*)::int as n from pg_locks where relation = 'activity_events'::regclass and not granted`)[0]?.n ?? 0);

describe("rule P4: group commit of clicks", () => {
  // How many statements a burst takes depends on timing; the batching itself is proven below, with a held flush.
  itConcurrently("many concurrent openings are each stored exactly once", async () => {
    const tags = Array.from({ length: 300 }, () => `c-${randomUUID()}`);
    const landings = await Promise.all(
      tags.map((tag) => openReferralLink({ db }, { code, click: clickFromRequest(new URL(`http://localhost/r/${code}?via=qr&utm_campaign=${tag}`), new Headers(), "s") })),
    );
    expect(landings.every((l) => l.kind === "active")).toBe(true);
    const rows = await db
      .select({ tag: activityEvents.utmCampaign, at: activityEvents.createdAt })
      .from(activityEvents)
      .where(and(eq(activityEvents.type, "click"), inArray(activityEvents.utmCampaign, tags)));
    expect(rows.map((r) => r.tag).sort()).toEqual([...tags].sort());
  });

  itConcurrently("a click's promise settles only after its batch committed: held back while the table is locked", async () => {
    const batcher = new ClickBatcher(db);
    const tag = `held-${randomUUID()}`;
    let settled = false;
    let release!: () => void;
    const locked = new Promise<void>((resolve, reject) => {
      other
        .begin(async (sql) => {
          await sql`lock table activity_events in exclusive mode`;
          resolve();
          await new Promise<void>((r) => (release = r));
        })
        .catch(reject);
    });
    await locked;
    const recorded = batcher.record({ ...base, utmCampaign: tag }).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    expect(await committedWith([tag])).toEqual([]);
    release();
    await recorded;
    // The moment it settles, another session sees the row: it was committed, not merely sent.
    expect(await committedWith([tag])).toEqual([tag]);
  });

  itConcurrently("a failed flush rejects every click of its batch and stores none of them; the next batch is stored", async () => {
    const batcher = new ClickBatcher(db);
    const tags = Array.from({ length: 20 }, () => `fail-${randomUUID()}`);
    // A code deleted after its lookup: the foreign key fails the one statement of the whole batch.
    const clicks = tags.map((tag, i) => batcher.record({ ...base, utmCampaign: tag, ...(i === 7 ? { codeId: randomUUID() } : {}) }));
    const outcomes = await Promise.allSettled(clicks);
    expect(outcomes.map((o) => o.status)).toEqual(tags.map(() => "rejected"));
    expect(await committedWith(tags)).toEqual([]);

    const after = `after-${randomUUID()}`;
    await batcher.record({ ...base, utmCampaign: after });
    expect(await committedWith([after])).toEqual([after]);
  });

  itConcurrently("clicks arriving while a flush runs join the next batch, and none is stored twice", async () => {
    const batcher = new ClickBatcher(db);
    const tags: string[] = [];
    const waves = [];
    for (let wave = 0; wave < 5; wave++) {
      const batch = Array.from({ length: 40 }, () => `wave-${randomUUID()}`);
      tags.push(...batch);
      waves.push(Promise.all(batch.map((tag) => batcher.record({ ...base, utmCampaign: tag }))));
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(waves);
    const stored = await committedWith(tags);
    expect(stored.sort()).toEqual([...tags].sort());
  });

  itConcurrently("while a flush is held, 299 clicks wait for it and then go out together: one statement for them all", async () => {
    const batcher = new ClickBatcher(db);
    const first = `first-${randomUUID()}`;
    const rest = Array.from({ length: 299 }, () => `rest-${randomUUID()}`);
    const lock = lockClicks();
    await lock.locked;
    const firstStored = batcher.record({ ...base, utmCampaign: first });
    await waitUntil("the first flush waits on the lock", async () => (await waitingOnClicks()) > 0);
    const restStored = rest.map((tag) => batcher.record({ ...base, utmCampaign: tag }));
    lock.release();
    await Promise.all([firstStored, ...restStored]);
    // now() is the statement's transaction start, to the microsecond: one value per statement.
    const rows = await other`select utm_campaign, created_at::text as at from activity_events where type = 'click' and utm_campaign in ${other([first, ...rest])}`;
    const statementOf = new Map(rows.map((r) => [r.utm_campaign as string, r.at as string]));
    expect(statementOf.size).toBe(300);
    expect(new Set(rest.map((tag) => statementOf.get(tag))).size).toBe(1);
    expect(statementOf.get(first)).not.toBe(statementOf.get(rest[0] ?? ""));
  });
});
