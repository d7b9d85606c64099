"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { BAA_PATH, BAA_TITLE, BAA_VERSION, SUBPROCESSORS_PATH, type BaaStatus } from "@/server/schemas/baa";

const when = (at: Date) => new Intl.DateTimeFormat("en-US", { dateStyle: "long" }).format(at);

/**
 * Issue 19: the platform's BAA for clinics that have not accepted the version in force (added by
 * the platform before it existed, or a new version since). Admins accept it here; staff see who did.
 */
export function BaaAcceptance({ initial, isAdmin }: { initial: BaaStatus; isAdmin: boolean }) {
  const trpc = useTRPC();
  const checkboxId = useId();
  const problemId = useId();
  const [status, setStatus] = useState(initial);
  const [checked, setChecked] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const accept = useMutation(
    trpc.clinic.acceptBaa.mutationOptions({
      onSuccess: (next) => (setStatus(next), setProblem(null)),
      onError: (e) => {
        const f = formErrors(e);
        setProblem(f.form ?? Object.values(f.fields).find(Boolean) ?? "That didn't work. Try again.");
      },
    }),
  );
  const current = status.accepted?.version === status.version ? status.accepted : null;
  const textLink = (
    <Link href={BAA_PATH} target="_blank" className="font-medium text-brand-700 underline">
      {BAA_TITLE} (version {status.version}, opens in a new tab)
    </Link>
  );
  return (
    <div id="baa" className="scroll-mt-6">
      <Card title="Business Associate Agreement">
        {current ? (
          <p role="status" className="text-sm text-slate-700">
            Accepted by {current.signerName} on {when(current.acceptedAt)}: the {textLink}. See the{" "}
            <Link href={SUBPROCESSORS_PATH} className="font-medium text-brand-700 underline">
              services that may carry patient data
            </Link>
            .
          </p>
        ) : (
          <form
            method="post"
            className="flex flex-col gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (!checked) return setProblem("Tick the box to accept the agreement.");
              accept.mutate({ version: status.version, accepted: true });
            }}
          >
            <p className="text-sm text-slate-700">
              We store and send your patients&apos; data for you, so we are your business associate under HIPAA. Your program can go live once an admin accepts the{" "}
              {textLink}
              {status.accepted ? ` (your clinic accepted version ${status.accepted.version}; this one is new)` : ""}. It lists the{" "}
              <Link href={SUBPROCESSORS_PATH} className="font-medium text-brand-700 underline">
                services that may carry patient data
              </Link>
              .
            </p>
            {isAdmin ? (
              <>
                <label htmlFor={checkboxId} className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
                  <input
                    id={checkboxId}
                    type="checkbox"
                    checked={checked}
                    onChange={(e) => setChecked(e.target.checked)}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? problemId : undefined}
                    className="mt-0.5 size-5 shrink-0 accent-brand-600"
                  />
                  <span>
                    I accept the {BAA_TITLE} (version {BAA_VERSION}) on behalf of the clinic, signed with the name on my account, and I may sign it for the clinic.
                  </span>
                </label>
                {problem && (
                  <div id={problemId}>
                    <Alert>{problem}</Alert>
                  </div>
                )}
                <Button type="submit" busy={accept.isPending} className="self-start">
                  {accept.isPending ? "Accepting…" : "Accept the agreement"}
                </Button>
              </>
            ) : (
              <p className="text-sm text-slate-700">Ask an admin of your clinic to accept it.</p>
            )}
          </form>
        )}
      </Card>
    </div>
  );
}
