import { PGlite } from "@electric-sql/pglite";
const db = new PGlite(process.cwd() + "/.data/e2e-pglite");
const r = await db.query("select status, review_state, flags, source, created_at from referrals order by created_at");
console.log(JSON.stringify(r.rows, null, 1));
const w = await db.query("select side, kind, amount, status, status_reason from rewards");
console.log(JSON.stringify(w.rows, null, 1));
