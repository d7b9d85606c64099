"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { RouterOutputs } from "@/server/root";

type Choices = RouterOutputs["messages"]["myNotifications"];
const LABELS: Record<keyof Choices, string> = {
  "staff.referral_flagged": "Email me when a referral is flagged for review",
  "staff.digest_daily": "Email me a daily digest",
  "staff.digest_weekly": "Email me a weekly digest",
};

/** Each staff member chooses their own staff notifications (rule A2). */
export function MyNotifications({ initial }: { initial: Choices }) {
  const trpc = useTRPC();
  const [choices, setChoices] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(trpc.messages.setMyNotification.mutationOptions({ onSuccess: (c) => (setChoices(c), setError(null)), onError: () => setError("That didn't save. Please try again.") }));
  return (
    <Card title="My notifications">
      {error && <Alert>{error}</Alert>}
      <fieldset className="flex flex-col gap-2">
        <legend className="sr-only">My notifications</legend>
        {(Object.keys(LABELS) as (keyof Choices)[]).map((kind) => (
          <label key={kind} className="flex min-h-11 items-center gap-3 text-slate-800">
            <input type="checkbox" className="h-5 w-5" checked={choices[kind]} disabled={set.isPending} onChange={(e) => set.mutate({ kind, enabled: e.target.checked })} />
            {LABELS[kind]}
          </label>
        ))}
      </fieldset>
    </Card>
  );
}
