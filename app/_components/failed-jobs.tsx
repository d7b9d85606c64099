import { Alert, Button, Card } from "./ui";

/** Rule A3: one failed job as the procedures list it: no payload, only what an admin acts on. */
export type FailedJobRow = { id: string; queue: string; createdAt: Date; failedAt: Date; attempts: number; error: string };

const QUEUE_LABELS: Record<string, string> = {
  "queue.probe": "Worker check",
  "runs.clinic": "Clinic daily or weekly run",
  "runs.platform": "Platform scheduled run",
};

export const JOB_NOTICES = {
  retried: { tone: "success", text: "The job will run again in a moment. If it fails again it comes back to this list." },
  discarded: { tone: "success", text: "The job was discarded. It will not run again." },
  probed: { tone: "success", text: "A worker check was sent. Reload the page to see when a worker took it." },
  gone: { tone: "error", text: "That job is no longer in the list: someone may have retried or discarded it already." },
  failed: { tone: "error", text: "Something went wrong on our side. Please try again in a moment." },
} as const;
export type JobNotice = keyof typeof JOB_NOTICES;
export const isJobNotice = (value: unknown): value is JobNotice => typeof value === "string" && value in JOB_NOTICES;

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-3 align-top";

/**
 * Rule A3: the dead-letter list with Retry and Discard. Plain forms posting to server actions,
 * so it works without the page's script; the outcome comes back as a notice above the list.
 */
export function FailedJobs({
  jobs,
  notice,
  retry,
  discard,
}: {
  jobs: FailedJobRow[];
  notice: JobNotice | null;
  retry: (data: FormData) => Promise<void>;
  discard: (data: FormData) => Promise<void>;
}) {
  return (
    <>
      {notice && <Alert tone={JOB_NOTICES[notice].tone}>{JOB_NOTICES[notice].text}</Alert>}
      {jobs.length === 0 ? (
        <Card>
          <p className="text-slate-700">No failed jobs. Everything that was sent has run, or is still being retried.</p>
        </Card>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[48rem] border-collapse text-sm">
            <caption className="px-3 pt-3 text-left text-sm font-medium text-slate-700">
              {jobs.length === 1 ? "1 failed job" : `${jobs.length} failed jobs`}, most recent failure first
            </caption>
            <thead className="border-b border-slate-200">
              <tr>
                <th scope="col" className={th}>Job</th>
                <th scope="col" className={th}>Failed</th>
                <th scope="col" className={`${th} text-right`}>Attempts</th>
                <th scope="col" className={th}>Error</th>
                <th scope="col" className={th}>Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {jobs.map((job) => {
                const label = QUEUE_LABELS[job.queue] ?? job.queue;
                return (
                  <tr key={job.id}>
                    <th scope="row" className={`${td} text-left font-semibold text-slate-900`}>
                      {label}
                      <span className="block font-mono text-xs font-normal text-slate-600">{job.queue}</span>
                    </th>
                    <td className={`${td} whitespace-nowrap text-slate-700`}>
                      {when(job.failedAt)}
                      <span className="block text-xs text-slate-600">sent {when(job.createdAt)}</span>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{job.attempts}</td>
                    <td className={`${td} break-words text-slate-800`}>{job.error}</td>
                    <td className={td}>
                      <div className="flex flex-wrap gap-2">
                        <form action={retry}>
                          <input type="hidden" name="jobId" value={job.id} />
                          <Button type="submit" variant="secondary" aria-label={`Retry ${label}, failed ${when(job.failedAt)}`}>
                            Retry
                          </Button>
                        </form>
                        <form action={discard}>
                          <input type="hidden" name="jobId" value={job.id} />
                          <Button type="submit" variant="danger" aria-label={`Discard ${label}, failed ${when(job.failedAt)}`}>
                            Discard
                          </Button>
                        </form>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
