"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button, StatusBadge, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { actionError } from "./action-error";
import { refreshQueries } from "@/app/_trpc/refresh";

const when = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

/** Rule P7: a booking or an attended visit may be what qualifies a referral. */
export function AppointmentsPanel({ patientId, onDone }: { patientId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.review.appointments.queryOptions({ patientId }));
  const [scheduledFor, setScheduledFor] = useState("");
  const [dateError, setDateError] = useState<string | undefined>();
  // Rule N2: one key per booking attempt, so a double submit books once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const book = useMutation(trpc.review.book.mutationOptions());
  const attend = useMutation(trpc.review.attend.mutationOptions());
  const bookErrors = formErrors(book.error);

  const refresh = () => Promise.all([refreshQueries(queryClient, trpc.review.pathKey()), refreshQueries(queryClient, trpc.clinic.pathKey())]);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (book.isPending) return;
    const date = new Date(scheduledFor);
    if (!scheduledFor || Number.isNaN(date.getTime())) {
      setDateError("Enter the appointment date and time.");
      return;
    }
    setDateError(undefined);
    book.mutate(
      { patientId, scheduledFor: date, idempotencyKey: key },
      {
        onSuccess: async () => {
          setKey(crypto.randomUUID());
          setScheduledFor("");
          onDone(`Appointment booked for ${when.format(date)}.`);
          await refresh();
        },
      },
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <h3 className="font-semibold text-slate-900">Appointments</h3>
      {list.isError ? (
        <p className="text-sm text-red-700">We couldn&apos;t load the appointments.</p>
      ) : list.isPending ? (
        <p className="text-sm text-slate-700">Loading appointments…</p>
      ) : list.data.length === 0 ? (
        <p className="text-sm text-slate-700">No appointments yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200">
          {list.data.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                {when.format(a.scheduledFor)}{" "}
                <StatusBadge tone={a.status === "attended" ? "good" : "neutral"}>{a.status === "attended" ? "Attended" : "Booked"}</StatusBadge>
              </span>
              {a.status !== "attended" && (
                <Button
                  type="button"
                  variant="secondary"
                  busy={attend.isPending && attend.variables?.appointmentId === a.id}
                  onClick={() =>
                    attend.mutate(
                      { appointmentId: a.id },
                      {
                        onSuccess: async () => {
                          onDone(`Marked the ${when.format(a.scheduledFor)} appointment as attended.`);
                          await refresh();
                        },
                        onError: (error) => onDone(actionError(error)),
                      },
                    )
                  }
                >
                  Mark attended<span className="sr-only"> ({when.format(a.scheduledFor)})</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form method="post" onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
        <TextField
          label="Book an appointment"
          name="scheduledFor"
          type="datetime-local"
          value={scheduledFor}
          onChange={(event) => setScheduledFor(event.target.value)}
          error={dateError ?? bookErrors.fields.scheduledFor ?? bookErrors.form ?? undefined}
        />
        <Button type="submit" variant="secondary" busy={book.isPending}>
          {book.isPending ? "Booking…" : "Book"}
        </Button>
      </form>
    </div>
  );
}
