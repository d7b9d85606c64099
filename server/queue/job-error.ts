/**
 * A job's failure in words an admin reads in the failed-jobs list (rule A3): written by the app
 * with ids, counts and statuses only (rule N3). Any other error is stored by its kind alone
 * (server/jobs/worker.ts).
 */
export class JobError extends Error {
  override name = "JobError";
}
