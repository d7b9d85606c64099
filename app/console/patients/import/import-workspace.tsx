"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";
import { refreshQueries } from "@/app/_trpc/refresh";

type Preview = RouterOutputs["patients"]["previewCsv"];
type RowError = Preview["errors"][number];

function ErrorTable({ errors, caption }: { errors: RowError[]; caption: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[28rem] text-left text-sm">
        <caption className="mb-2 text-left font-semibold text-slate-900">{caption}</caption>
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3">Row</th>
            <th scope="col" className="py-2 pr-3">Column</th>
            <th scope="col" className="py-2">What to fix</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {errors.map((e, i) => (
            <tr key={`${e.row}-${e.field}-${i}`}>
              <th scope="row" className="py-2 pr-3 font-normal tabular-nums">{e.row}</th>
              <td className="py-2 pr-3"><code>{e.field}</code></td>
              <td className="py-2">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const INVITATIONS_WAIT =
  "No admin of your clinic has confirmed their email address yet, so the invitations wait: they go out as soon as an admin opens the confirmation link we emailed them.";

/** Issue 13: upload, preview, start, and follow the import to the end. */
export function ImportWorkspace({ invitationsWait }: { invitationsWait: boolean }) {
  const trpc = useTRPC();
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [invite, setInvite] = useState(false);
  const [invited, setInvited] = useState(false);
  const start = useMutation(trpc.patients.startImport.mutationOptions());
  const status = useQuery({
    ...trpc.patients.importStatus.queryOptions({ jobId: jobId ?? "00000000-0000-4000-8000-000000000000" }),
    enabled: !!jobId,
    refetchInterval: (query) => (query.state.data && (query.state.data.state === "done" || query.state.data.state === "failed") ? false : 1000),
  });

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    if (uploading) return;
    if (!file) return setProblem("Choose a CSV file first.");
    setUploading(true);
    setProblem(null);
    setPreview(null);
    setJobId(null);
    try {
      const response = await fetch("/api/patients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: file });
      const body = (await response.json()) as Preview | { error: { message: string } };
      if ("error" in body) setProblem(body.error.message);
      else setPreview(body);
    } catch {
      setProblem("The upload did not reach us. Check your connection and try again.");
    } finally {
      setUploading(false);
    }
  }

  const s = status.data;
  const finished = s?.state === "done" || s?.state === "failed";
  const queryClient = useQueryClient();
  useEffect(() => {
    // The patient list is cached for a while: once the import ends, the list shows whom it added.
    if (finished) void refreshQueries(queryClient, trpc.clinic.patients.queryKey());
  }, [finished, queryClient, trpc]);
  const percent = s && s.total > 0 ? Math.round((s.processed / s.total) * 100) : 0;

  return (
    <div className="flex flex-col gap-6">
      <form method="post" onSubmit={upload} className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <label htmlFor="csv-file" className="text-sm font-medium text-slate-800">
          CSV file
        </label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          className="min-h-11 text-sm"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          aria-describedby={problem ? "csv-problem" : undefined}
        />
        {problem && (
          <div id="csv-problem">
            <Alert>{problem}</Alert>
          </div>
        )}
        <div>
          <Button type="submit" busy={uploading}>
            Check the file
          </Button>
        </div>
      </form>

      {preview && !jobId && (
        <Card title="Before you import">
          <p className="text-slate-800" role="status">
            {preview.validRows.toLocaleString("en-US")} of {preview.totalRows.toLocaleString("en-US")} rows are ready to import.
            {preview.invalidRows > 0 &&
              (preview.invalidRows === 1 ? " 1 has a problem and will be left out." : ` ${preview.invalidRows.toLocaleString("en-US")} have a problem and will be left out.`)}
          </p>
          {preview.errors.length > 0 && <ErrorTable errors={preview.errors} caption="Rows left out" />}
          <label className="mt-3 flex min-h-11 items-center gap-3 text-sm text-slate-900">
            <input
              type="checkbox"
              className="size-5 accent-brand-600"
              checked={invite}
              onChange={(e) => setInvite(e.target.checked)}
              aria-describedby={invitationsWait ? "invitations-wait" : undefined}
            />
            Email each imported patient an invitation to choose a password for their portal
          </label>
          {invitationsWait && (
            <p id="invitations-wait" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
              {INVITATIONS_WAIT}
            </p>
          )}
          {start.error && <Alert>{start.error.message}</Alert>}
          <div className="mt-3">
            <Button
              disabled={preview.validRows === 0 || !preview.importId}
              busy={start.isPending}
              onClick={() =>
                preview.importId &&
                start.mutate(
                  { jobId: preview.importId, sendInvitations: invite },
                  {
                    onSuccess: (r) => {
                      setInvited(invite);
                      setJobId(r.jobId);
                    },
                  },
                )
              }
            >
              Import {preview.validRows.toLocaleString("en-US")} patients
            </Button>
          </div>
        </Card>
      )}

      {jobId && s && (
        <Card title={s.state === "done" ? "Import finished" : s.state === "failed" ? "Import stopped" : "Importing"}>
          <div
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-2 text-slate-800" aria-live="polite">
            {s.processed.toLocaleString("en-US")} of {s.total.toLocaleString("en-US")} rows: {s.imported.toLocaleString("en-US")} imported,{" "}
            {s.skipped.toLocaleString("en-US")} skipped.
          </p>
          {s.state === "done" && invitationsWait && invited && <p className="mt-2 text-slate-800">{INVITATIONS_WAIT}</p>}
          {s.state === "done" && s.errors.length > 0 && <ErrorTable errors={s.errors} caption="Rows left out or skipped" />}
        </Card>
      )}
    </div>
  );
}
