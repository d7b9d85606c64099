import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { activityEvents, referrals, users } from "@/db/schema";
import type { ACTIVITY_CHANNELS, ActivityQuery } from "@/server/schemas/activity";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { recordAccess } from "@/server/services/patients/access-audit";
import { describeEvent } from "./activity-text";
import { firstNameLastInitial } from "@/server/kernel/contact";

/** A search matching more patients than this walks the timeline instead of listing their ids. */
const LISTED_PATIENTS = 500;

/** Events a referee's own timeline shows from the referral that brought them in. */
const REFEREE_EVENTS = sql`('sign_up', 'qualification')`;

type Row = {
  id: string;
  type: ActivityRowType;
  cursor_time: string;
  patient_id: string | null;
  channel: Exclude<(typeof ACTIVITY_CHANNELS)[number], "direct"> | null;
  utm_campaign: string | null;
  amount_cents: number | null;
  detail: Record<string, unknown> | null;
  p_first: string | null;
  p_last: string | null;
  referrer_first: string | null;
  referrer_last: string | null;
  referee_first: string | null;
  referee_last: string | null;
  actor_first: string | null;
  actor_last: string | null;
};
type ActivityRowType = ActivityQuery["types"][number];

const join = (parts: SQL[], separator: string) => sql.join(parts, sql.raw(separator));
const list = (values: readonly string[]) => join(values.map((v) => sql`${v}`), ", ");
const name = (first: string | null, last: string | null) => (first === null || last === null ? null : firstNameLastInitial(first, last));

/**
 * Rule C2: one page of the clinic's referral timeline (rule N1), newest first, by keyset on
 * (created_at, id) so a deep page costs what the first does. Each filter is turned into the
 * condition its index serves: a patient or a narrow search by the patient and referral
 * indexes, event types by one ordered walk per type, anything else by the clinic's time index.
 */
/**
 * The console's timeline. Rule N3: narrowed to a patient or searched, it is a look at patients,
 * written to the audit log with the read; the whole clinic's timeline is not.
 */
export async function staffActivityPage(ctx: ServiceContext, input: ActivityQuery) {
  if (!input.patientId && !input.search) return activityPage(ctx, input);
  return withTransaction(ctx, async (tx) => {
    const page = await activityPage(tx, input);
    const shown = page.rows.flatMap((r) => (r.patient ? [r.patient.id] : []));
    const who = { patientIds: shown };
    await recordAccess(tx, input.patientId ? { ...who, action: "activity.patient", targetId: input.patientId } : { ...who, action: "activity.search", search: input.search });
    return page;
  });
}

export async function activityPage(ctx: ServiceContext, input: ActivityQuery, options = { listedPatients: LISTED_PATIENTS }) {
  const { db, clinicId } = ctx;
  const types = effectiveTypes(input);
  if (types === "none") return { rows: [], olderCursor: null, newerCursor: null };

  const where: SQL[] = [sql`e.clinic_id = ${clinicId}`];
  if (input.from) where.push(sql`e.created_at >= ${`${input.from}T00:00:00Z`}::timestamptz`);
  if (input.to) where.push(sql`e.created_at < (${input.to}::date + 1)::timestamp at time zone 'UTC'`);
  if (input.channel) where.push(input.channel === "direct" ? sql`e.channel is null` : sql`e.channel = ${input.channel}`);
  const older = input.direction === "older";
  if (input.cursor) {
    const [time, id] = input.cursor.split("~") as [string, string];
    where.push(sql`(e.created_at, e.id) ${sql.raw(older ? "<" : ">")} (${time}::timestamptz, ${id}::uuid)`);
  }

  let narrow = false;
  let prelude = sql``;
  if (input.patientId) {
    const scope = await patientScope(db, clinicId, [input.patientId]);
    where.push(scope);
    narrow = true;
  }
  if (input.search) {
    const matched = await searchPatients(db, clinicId, input.search, options.listedPatients + 1);
    if (matched.length === 0) return { rows: [], olderCursor: null, newerCursor: null };
    if (matched.length <= options.listedPatients) {
      where.push(await patientScope(db, clinicId, matched));
      narrow = true;
    } else {
      // Matched once, then probed by hash while walking the timeline.
      prelude = sql`with matched as materialized (select u.id from ${users} u where ${searchCondition(clinicId, input.search)}) `;
      where.push(broadSearchScope(clinicId));
    }
  }

  // Both time indexes are ascending; Postgres walks them either way for this order.
  const order = sql.raw(older ? "e.created_at desc, e.id desc" : "e.created_at asc, e.id asc");
  const take = input.limit + 1;
  const columns = sql`e.id, e.type, e.created_at, e.patient_id, e.referral_id, e.actor_id, e.channel, e.utm_campaign, e.amount_cents, e.detail,
    to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_time`;
  const branch = (extra: SQL | null) =>
    sql`(select ${columns} from ${activityEvents} e where ${join(extra ? [...where, extra] : where, " and ")} order by ${order} limit ${take})`;
  const branches =
    types.length === 0
      ? [branch(null)]
      : narrow
        ? [branch(sql`e.type in (${list(types)})`)]
        : types.map((type) => branch(sql`e.type = ${type}`));

  const rows = await queryRows<Row>(
    db,
    sql`${prelude}select e.*, pu.first_name as p_first, pu.last_name as p_last,
               rr.first_name as referrer_first, rr.last_name as referrer_last,
               re.first_name as referee_first, re.last_name as referee_last,
               au.first_name as actor_first, au.last_name as actor_last
          from (select * from (${join(branches, " union all ")}) e order by ${order} limit ${take}) e
          left join ${users} pu on pu.id = e.patient_id and pu.clinic_id = ${clinicId}
          left join ${referrals} r on r.id = e.referral_id and r.clinic_id = ${clinicId}
          left join ${users} rr on rr.id = r.referrer_id and rr.clinic_id = ${clinicId}
          left join ${users} re on re.id = r.referee_id and re.clinic_id = ${clinicId}
          left join ${users} au on au.id = e.actor_id and au.clinic_id = ${clinicId}
         order by ${order}`,
  );

  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (!older) page.reverse();
  const cursorOf = (row: Row | undefined) => (row ? `${row.cursor_time}~${row.id}` : null);
  return {
    rows: page.map(present),
    olderCursor: (older ? more : true) ? cursorOf(page.at(-1)) : null,
    newerCursor: (older ? !!input.cursor : more) ? cursorOf(page[0]) : null,
  };
}

/** Types to show: a channel means clicks; a channel with types that exclude clicks means nothing. */
function effectiveTypes(input: ActivityQuery): ActivityRowType[] | "none" {
  if (!input.channel) return [...new Set(input.types)];
  if (input.types.length && !input.types.includes("click")) return "none";
  return ["click"];
}

/** Events about these patients, and for referees the sign-up and qualification that brought them. */
async function patientScope(db: Db, clinicId: string, patientIds: string[]): Promise<SQL> {
  const referredBy = await queryRows<{ id: string }>(
    db,
    sql`select id from ${referrals} where clinic_id = ${clinicId} and referee_id in (${list(patientIds)})`,
  );
  const own = sql`e.patient_id in (${list(patientIds)})`;
  if (!referredBy.length) return own;
  return sql`(${own} or (e.type in ${REFEREE_EVENTS} and e.referral_id in (${list(referredBy.map((r) => r.id))})))`;
}

/** Name or email containing the text; one lower-cased expression is several times cheaper than four ilikes. */
function searchCondition(clinicId: string, search: string): SQL {
  const term = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`u.clinic_id = ${clinicId} and u.role = 'patient'
    and lower(u.first_name || ' ' || u.last_name || ' ' || u.email) like ${term}`;
}

async function searchPatients(db: Db, clinicId: string, search: string, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, sql`select u.id from ${users} u where ${searchCondition(clinicId, search)} limit ${limit}`);
  return rows.map((r) => r.id);
}

/**
 * For a search that matches many patients: their events are common, so filter while walking.
 * A referee event looks up its one referral, rather than listing the referrals of every match.
 */
function broadSearchScope(clinicId: string): SQL {
  return sql`(e.patient_id in (select id from matched)
    or (e.type in ${REFEREE_EVENTS} and (select r.referee_id from ${referrals} r where r.id = e.referral_id and r.clinic_id = ${clinicId}) in (select id from matched)))`;
}

function present(row: Row) {
  const { summary, note } = describeEvent({
    type: row.type,
    channel: row.channel,
    utmCampaign: row.utm_campaign,
    amountCents: row.amount_cents === null ? null : Number(row.amount_cents),
    detail: row.detail,
    patient: name(row.p_first, row.p_last),
    referrer: name(row.referrer_first, row.referrer_last),
    referee: name(row.referee_first, row.referee_last),
    actor: name(row.actor_first, row.actor_last),
  });
  return {
    id: row.id,
    type: row.type,
    createdAt: new Date(`${row.cursor_time.slice(0, 23)}Z`),
    summary,
    note,
    patient: row.patient_id && row.p_first !== null ? { id: row.patient_id, name: name(row.p_first, row.p_last) ?? "" } : null,
    channel: row.type === "click" ? (row.channel ?? ("direct" as const)) : null,
    amountCents: row.amount_cents === null ? null : Number(row.amount_cents),
  };
}
