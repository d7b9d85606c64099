/**
 * `npm run bench:console`: the console's dashboard and activity log queries at 100k, 1M and
 * 10M clicks in one clinic, on a real Postgres. Fills the clinic with set-based SQL, grows it
 * between measurements, and calls the service functions directly, ~20 runs each. Prints a
 * JSON summary as its last line. Not part of the tests.
 *
 * Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) and makes
 * a fresh database there for the run. BENCH_SCALES=10000,100000 picks other sizes.
 */
import { sql, type SQL } from "drizzle-orm";
import { connectPostgres, queryRows } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { clinics } from "@/db/schema";
import { activityInput, type ActivityInput } from "@/server/schemas/activity";
import { DASHBOARD_PERIODS } from "@/server/schemas/dashboard";
import { activityPage } from "@/server/services/insights/activity";
import { dashboardStats } from "@/server/services/insights/dashboard";
import { createProgram } from "@/server/services/programs/programs";
import { recountStatsFrom, rollUpStats } from "@/server/services/insights/rollup";
import { freshDatabase } from "./support";
import { readerContext } from "@/server/testing/fixtures";

const SCALES = (process.env.BENCH_SCALES ?? "100000,1000000,10000000").split(",").map(Number);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DEEP_PAGE = 500;
const CLICK_CHUNK = 1_000_000;

const database = await freshDatabase("bench_console");
const handle = await connectPostgres(database.url, { max: 4 });
const db = handle.db;
const log = (message: string) => console.error(`[bench:console] ${message}`);

try {
  await migrateDatabase(handle);
  const [clinic] = await db.insert(clinics).values({ name: "Bench Clinic", slug: "bench-clinic" }).returning();
  if (!clinic) throw new Error("no clinic");
  await createProgram({ db, clinicId: clinic.id });
  const clinicId = clinic.id;
  await timed(`${PATIENTS} patients with codes`, () => fillPatients(clinicId));

  const scales = [];
  let clicks = 0;
  let referred = 0;
  for (const target of SCALES) {
    await timed(`grow to ${target} clicks`, async () => {
      await addClicks(clinicId, target - clicks);
      const referrals = Math.min(PATIENTS - 1, Math.round(target / 10));
      await addReferrals(clinicId, referred, referrals);
      referred = referrals;
      clicks = target;
      // As autovacuum leaves a table after a bulk of inserts: statistics and the visibility map.
      await db.execute(sql`vacuum (analyze) activity_events`);
      await db.execute(sql`analyze`);
    });
    // The generator writes into past days, so they are counted again, once, untimed here.
    await recountStatsFrom({ db, clinicId }, { day: "2000-01-01" });
    const rollupMs = await timed("rollup of every past day", () => rollUpStats({ db, clinicId }));

    const dashboard: number[] = [];
    const byPeriod: Record<string, number[]> = {};
    for (let run = 0; run < RUNS; run++) {
      for (const period of DASHBOARD_PERIODS) {
        const ms = await measure(() => dashboardStats(readerContext(db, clinicId), { period }));
        dashboard.push(ms);
        (byPeriod[period] ??= []).push(ms);
      }
    }
    log(`dashboard p95 by period ${JSON.stringify(Object.fromEntries(Object.entries(byPeriod).map(([k, v]) => [k, p95(v)])))}`);
    const queries: Record<string, ActivityInput> = {
      first: {},
      deep: {},
      deepTypes: { types: ["reward", "redemption", "qualification"] },
      deepChannel: { channel: "sms" },
      search: { search: "kim" },
    };
    const activity: number[] = [];
    const detail: Record<string, number> = {};
    for (const [label, filter] of Object.entries(queries)) {
      const cursor = label.startsWith("deep") ? await cursorAtPage(clinicId, filter, DEEP_PAGE) : undefined;
      const samples = [];
      for (let run = 0; run < RUNS; run++) samples.push(await measure(() => activityPage(readerContext(db, clinicId), activityInput.parse({ ...filter, cursor }))));
      activity.push(...samples);
      detail[label] = p95(samples);
    }
    const row = { clicks: target, dashboard_p95_ms: p95(dashboard), activity_p95_ms: p95(activity) };
    log(`${JSON.stringify(row)} rollup ${rollupMs} ms; activity p95 by query ${JSON.stringify(detail)}`);
    scales.push(row);
  }
  console.log(JSON.stringify({ scales }));
} finally {
  await handle.close();
  if (process.env.BENCH_KEEP) log(`kept database ${database.name}`);
  await database.done({ keep: !!process.env.BENCH_KEEP });
}

/** The cursor that opens page `page` (or the last page there is), by walking the keyset. */
async function cursorAtPage(clinicId: string, filter: ActivityInput, page: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let i = 1; i < page; i++) {
    const result = await activityPage(readerContext(db, clinicId), activityInput.parse({ ...filter, cursor }));
    if (!result.olderCursor) break;
    cursor = result.olderCursor;
  }
  return cursor;
}

async function fillPatients(clinicId: string) {
  await db.execute(sql`
    insert into users (clinic_id, role, email, email_normalized, first_name, last_name, created_at)
    select ${clinicId}, 'patient', 'p' || g || '@bench.test', 'p' || g || '@bench.test',
           (array['Alex','Jordan','Sam','Riley','Casey','Morgan','Taylor','Jamie','Avery','Quinn'])[1 + g % 10],
           (array['Patel','Kim','Garcia','Nguyen','Smith','Okafor','Rossi','Cohen','Silva','Novak','Berg','Haddad'])[1 + (g / 10) % 12],
           now() - interval '400 days'
      from generate_series(1, ${PATIENTS}::int) g`);
  await db.execute(sql`insert into referral_codes (clinic_id, patient_id, code) select clinic_id, id, 'BN' || upper(substr(md5(id::text), 1, 12)) from users where clinic_id = ${clinicId}`);
  await db.execute(sql`
    create table bench_patients as
    select row_number() over (order by u.email)::int as n, u.id, c.id as code_id
      from users u join referral_codes c on c.patient_id = u.id where u.clinic_id = ${clinicId}`);
  await db.execute(sql`alter table bench_patients add primary key (n)`);
}

/**
 * Clicks over the last year, most of them on a few keen referrers' links, written in time order
 * as the landing would, a million rows a statement. The event indexes other than the primary key
 * are dropped for the fill and built again from their own definitions, a sort instead of millions
 * of random index inserts, so 10M clicks take minutes.
 */
async function addClicks(clinicId: string, count: number) {
  if (count <= 0) return;
  const indexes = await queryRows<{ name: string; definition: string }>(
    db,
    sql`select indexname as name, indexdef as definition from pg_indexes
         where schemaname = current_schema() and tablename = 'activity_events' and indexname <> 'activity_events_pkey'`,
  );
  for (const index of indexes) await db.execute(sql.raw(`drop index "${index.name}"`));
  for (let done = 0; done < count; done += CLICK_CHUNK) {
    const n = Math.min(CLICK_CHUNK, count - done);
    await step(1, sql`
      insert into activity_events (clinic_id, type, patient_id, code_id, channel, utm_campaign, created_at)
      select ${clinicId}, 'click', p.id, p.code_id,
             (array['sms','email','qr','copy','share',null]::click_channel[])[1 + s.g % 6], case when s.g % 7 = 0 then 'spring' end,
             now() - interval '365 days' * (1 - s.g::float8 / ${count}::int)
        from (select g, 1 + floor(power(random(), 3) * ${PATIENTS})::int as k from generate_series(${done + 1}::int, ${done + n}::int) g) s
        join bench_patients p on p.n = s.k
       order by s.g`);
  }
  for (const index of indexes) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
      await tx.execute(sql.raw(index.definition));
    });
  }
}

/**
 * Referees `from`+1..`to` sign up through a (skewed) referrer; half qualify with a paid order and
 * both rewards; half of those spend credit on a later order; others order without a referral.
 */
async function addReferrals(clinicId: string, from: number, to: number) {
  await step(2, sql`
    insert into referrals (clinic_id, referrer_id, referee_id, code_id, source, status, program_version_id, created_at)
    select ${clinicId}, rr.id, re.id, rr.code_id, 'link', 'signed_up', (select id from program_versions where clinic_id = ${clinicId} limit 1), now() - random() * interval '365 days'
      from (select g, case when k = g then k % ${PATIENTS} + 1 else k end as k
              from (select g, 1 + floor(power(random(), 4) * ${PATIENTS})::int as k from generate_series(${from + 1}::int, ${to}::int) g) x) s
      join bench_patients re on re.n = s.g
      join bench_patients rr on rr.n = s.k`);
  const fresh = sql`(select r.*, b.n as referee_n from referrals r join bench_patients b on b.id = r.referee_id where b.n > ${from} and b.n <= ${to})`;
  await step(3, sql`
    insert into activity_events (clinic_id, type, patient_id, referral_id, code_id, detail, created_at)
    select clinic_id, 'sign_up', referrer_id, id, code_id, jsonb_build_object('refereeId', referee_id, 'source', 'link'), created_at from ${fresh} f`);
  await step(4, sql`
    update referrals r set status = 'qualified', qualified_at = r.created_at + random() * least(interval '20 days', now() - r.created_at)
      from bench_patients b where b.id = r.referee_id and b.n > ${from} and b.n <= ${to} and b.n % 2 = 0`);
  await step(5, sql`
    insert into orders (clinic_id, patient_id, status, total_cents, charged_cents, payment_method, idempotency_key, paid_at, created_at)
    select clinic_id, referee_id, 'paid', 12000, 12000, 'in_clinic', 'bench-q-' || id, qualified_at, qualified_at
      from ${fresh} f where status = 'qualified'`);
  await step(6, sql`
    insert into rewards (clinic_id, patient_id, referral_id, program_version_id, side, kind, amount, status, released_at, created_at)
    select clinic_id, referrer_id, id, program_version_id, 'referrer'::reward_side, 'credit'::reward_kind, 5000, 'released'::reward_status, qualified_at, qualified_at from ${fresh} f where status = 'qualified'
    union all
    select clinic_id, referee_id, id, program_version_id, 'referee'::reward_side, 'credit'::reward_kind, 3000, 'released'::reward_status, qualified_at, qualified_at from ${fresh} f where status = 'qualified'`);
  await step(40, sql`
    insert into credit_ledger (clinic_id, patient_id, unit, kind, amount_cents, reward_id, memo, created_at)
    select w.clinic_id, w.patient_id, 'credit', 'grant', w.amount, w.id, 'Referral reward', w.released_at
      from rewards w join ${fresh} f on f.id = w.referral_id`);
  await step(7, sql`
    insert into activity_events (clinic_id, type, patient_id, referral_id, amount_cents, detail, created_at)
    select clinic_id, 'qualification'::event_type, referrer_id, id, null, '{}'::jsonb, qualified_at from ${fresh} f where status = 'qualified'
    union all
    select clinic_id, 'reward'::event_type, referrer_id, id, 5000, '{"side":"referrer"}'::jsonb, qualified_at from ${fresh} f where status = 'qualified'
    union all
    select clinic_id, 'reward'::event_type, referee_id, id, 3000, '{"side":"referee"}'::jsonb, qualified_at from ${fresh} f where status = 'qualified'`);
  // The referee's welcome credit goes on a later order.
  await step(8, sql`
    with later as (
      insert into orders (clinic_id, patient_id, status, total_cents, credit_applied_cents, charged_cents, payment_method, idempotency_key, paid_at, created_at)
      select f.clinic_id, f.referee_id, 'paid', 9000, 3000, 6000, 'in_clinic', 'bench-r-' || f.id, t.at, t.at
        from ${fresh} f cross join lateral (select f.qualified_at + random() * (now() - f.qualified_at) as at) t
       where f.status = 'qualified' and f.referee_n % 4 = 0
      returning id, clinic_id, patient_id, paid_at
    ), drawn as (
      insert into credit_ledger (clinic_id, patient_id, kind, amount_cents, grant_id, order_id, memo, created_at)
      select l.clinic_id, l.patient_id, 'redemption', -3000, g.id, l.id, 'Applied to your order', l.paid_at
        from later l join rewards w on w.patient_id = l.patient_id and w.side = 'referee'
        join credit_ledger g on g.reward_id = w.id and g.kind = 'grant'
      returning clinic_id, patient_id, order_id, created_at
    )
    insert into activity_events (clinic_id, type, patient_id, amount_cents, detail, created_at)
    select clinic_id, 'redemption', patient_id, 3000, jsonb_build_object('orderId', order_id), created_at from drawn`);
  await step(9, sql`
    insert into orders (clinic_id, patient_id, status, total_cents, charged_cents, payment_method, idempotency_key, paid_at, created_at)
    select ${clinicId}, p.id, 'paid', 8000, 8000, 'in_clinic', 'bench-o-' || g, t.at, t.at
      from generate_series(${from + 1}::int, ${to}::int) g
      join bench_patients p on p.n = ${PATIENTS} - g % ${PATIENTS}
      cross join lateral (select now() - random() * interval '365 days' + g * interval '0 s' as at) t`);
}

/** One generator statement, timed for the log. */
async function step(n: number, query: SQL) {
  const start = performance.now();
  await db.execute(query);
  if (process.env.BENCH_VERBOSE) log(`  step ${n}: ${Math.round(performance.now() - start)} ms`);
}

async function measure(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  const ms = Math.round(performance.now() - start);
  log(`${label}: ${ms} ms`);
  return ms;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0).toFixed(1));
}
