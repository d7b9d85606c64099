import { runDailyJobs, runMonthlyJobs } from "@/server/services/b2b/jobs";
import { pruneIdempotencyKeys } from "@/server/services/api-keys";
import { expireDueReservations } from "@/server/services/credit-checkout";
import { runPatientProgramDaily } from "@/server/services/expiry";
import { reconcilePendingOrders } from "@/server/services/order-payments";
import { rollUpStats } from "@/server/services/stats-rollup";
import type { Handler } from "./handlers";

/** Rule A6: one clinic's run for one period; each step is safe to repeat. */
export const runClinicJob: Handler<"runs.clinic"> = async (data, { db }) => {
  if (!data.clinicId) throw new Error("a clinic run names its clinic");
  if (data.run === "daily") await rollUpStats(db, data.clinicId);
};

/** Rule A6: the platform's runs. */
export const runPlatformJob: Handler<"runs.platform"> = async (data, { db, payments }) => {
  switch (data.run) {
    case "reconcile": {
      // Rule A7: checkout reservations whose expiry job was lost or late are given back here too.
      await expireDueReservations(db);
      const result = await reconcilePendingOrders(db, payments);
      // The orders left pending are tried again on the next run; an error is the job's failure.
      if (result.errors.length) throw new Error(`${result.errors.length} pending order(s) could not be reconciled`);
      return;
    }
    case "daily":
      await runDailyJobs(db, data.period);
      await runPatientProgramDaily(db, new Date(`${data.period}T23:59:59Z`));
      await pruneIdempotencyKeys(db);
      return;
    case "monthly":
      await runMonthlyJobs(db, data.period);
      return;
  }
};
