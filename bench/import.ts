/**
 * `npm run bench:import`: 100,000 patients from one CSV into a seeded clinic on a real Postgres,
 * through the same code as the console: the file read and stored (the upload's work), then the
 * queued job's batches. Prints a JSON summary as its last line; the target is under 60 s in all.
 * Not part of the tests. BENCH_ROWS picks another size.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import { connectPostgres } from "@/db/client";
import { migrateDatabase } from "@/server/migrate";
import { seedDemo } from "@/server/demo/seed";
import { referralCodes, users } from "@/db/schema";
import { staffActor, systemActor } from "@/server/events/actor";
import { parseImportFile } from "@/server/services/patients/import/parse";
import { createImport, importStatus, workImport } from "@/server/services/patients/import/run";
import { freshDatabase } from "./support";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const database = await freshDatabase("bench_import");
const handle = await connectPostgres(database.url, { max: 4 });
try {
  await migrateDatabase(handle);
  await seedDemo(handle.db);
  const db = handle.db;
  const [admin] = await db.select({ id: users.id, clinicId: users.clinicId }).from(users).where(eq(users.email, "admin@demo.test"));
  if (!admin?.clinicId) throw new Error("the seed has no demo admin");
  const clinicId = admin.clinicId;
  const lines = ["first_name,last_name,email,phone,external_id,government_payer,patient_since"];
  for (let i = 0; i < ROWS; i++) lines.push(`Pat${i},Bench,bench-${i}@import.example,+1 (555) ${String(1_000_000 + i).slice(-7, -4)}-${String(i).padStart(4, "0").slice(-4)},EXT-${i},${i % 10 === 0},2020-01-15`);
  const csv = lines.join("\n");

  const started = performance.now();
  const file = parseImportFile(csv);
  const importId = await createImport({ db, actor: staffActor(admin.id, clinicId), clinicId }, { file, start: true, sendInvitations: false });
  const stored = performance.now();
  // The job's slices, one after another, as the queue would run them.
  while (!(await workImport({ db, actor: systemActor("patients.import", clinicId), clinicId }, { importId })).done);
  const finished = performance.now();

  const status = await importStatus({ db, actor: staffActor(admin.id, clinicId), clinicId }, { importId });
  const [withCodes] = await db
    .select({ n: count() })
    .from(users)
    .innerJoin(referralCodes, and(eq(referralCodes.patientId, users.id), isNull(referralCodes.rotatedAt)))
    .where(and(eq(users.clinicId, clinicId), eq(users.lastName, "Bench")));
  console.log(
    JSON.stringify({
      rows: ROWS,
      imported: status.imported,
      skipped: status.skipped,
      with_codes: withCodes?.n ?? 0,
      read_and_store_s: Number(((stored - started) / 1000).toFixed(1)),
      import_s: Number(((finished - stored) / 1000).toFixed(1)),
      total_s: Number(((finished - started) / 1000).toFixed(1)),
    }),
  );
} finally {
  await handle.close();
  await database.done();
}
