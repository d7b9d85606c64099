"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { actionError } from "../../_components/action-error";
import { ReasonDialog } from "../../_components/reason-dialog";

/** Rule N3: an admin erases a patient's personal data on their request, after a confirm step. */
export function ErasePatient({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const erase = useMutation(trpc.patients.erase.mutationOptions());

  async function confirm(reason: string): Promise<boolean> {
    setError(null);
    try {
      const { alreadyErased } = await erase.mutateAsync({ patientId, reason });
      setDone(alreadyErased ? "This patient's data was already erased." : "The patient's personal data is erased. Their credit, rewards and referrals stay under a pseudonym.");
      router.refresh();
      return true;
    } catch (caught) {
      setError(actionError(caught));
      return false;
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div role="status" aria-live="polite">
        {done && <p className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-900">{done}</p>}
      </div>
      <p className="text-sm text-slate-700">
        When a patient asks to be forgotten, erase their name, email, phone and messages. Their account is closed; money and the audit trail stay.
      </p>
      <Button type="button" variant="danger" className="self-start" onClick={() => setOpen(true)}>
        Erase this patient&apos;s data
      </Button>
      {open && (
        <ReasonDialog
          title="Erase this patient's personal data?"
          confirmLabel="Erase for good"
          busyLabel="Erasing…"
          variant="danger"
          busy={erase.isPending}
          error={error}
          onConfirm={confirm}
          onClose={() => {
            setOpen(false);
            setError(null);
          }}
        >
          <p>
            This cannot be undone. The patient&apos;s name, email, phone, sign-in and unsent messages are removed everywhere, and their referral code stops
            working. Describe the request (for example &ldquo;written request of 3 May&rdquo;) without naming the patient: the reason is kept in the audit log.
          </p>
        </ReasonDialog>
      )}
    </div>
  );
}
