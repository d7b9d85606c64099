"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { actionError } from "./action-error";
import { AdjustBalanceForm } from "./adjust-balance-form";
import { AppointmentsPanel } from "./appointments-panel";
import { AttributeForm } from "./attribute-form";
import { OrdersPanel } from "./orders-panel";
import { ReasonDialog } from "./reason-dialog";
import { RewardsPanel } from "./rewards-panel";
import { refreshQueries } from "@/app/_trpc/refresh";

/** Rule C4: the manual controls for one patient. Each action takes a reason and is audited. */
export function PatientControls({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [rotating, setRotating] = useState(false);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const rotate = useMutation(trpc.review.rotateCode.mutationOptions());

  function done(text: string) {
    setMessage(text);
    void refreshQueries(queryClient, trpc.clinic.pathKey());
  }

  async function confirmRotate(reason: string): Promise<boolean> {
    setRotateError(null);
    try {
      const { code } = await rotate.mutateAsync({ patientId, reason });
      done(`New referral code ${code}. The old code no longer links new patients.`);
      return true;
    } catch (caught) {
      setRotateError(actionError(caught));
      return false;
    }
  }

  return (
    <div className="flex flex-col gap-5">
      <div role="status" aria-live="polite">
        {message && <p className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-900">{message}</p>}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <AdjustBalanceForm key={patientId} patientId={patientId} onDone={done} />
        <AttributeForm patientId={patientId} onDone={done} />
        <AppointmentsPanel patientId={patientId} onDone={done} />
        <OrdersPanel patientId={patientId} onDone={done} />
        <RewardsPanel patientId={patientId} onDone={done} />
      </div>
      <div className="flex flex-col gap-2">
        <h3 className="font-semibold text-slate-900">Referral code</h3>
        <p className="text-sm text-slate-700">If a code has leaked, replace it. The old link stops linking new patients at once.</p>
        <Button type="button" variant="secondary" className="self-start" onClick={() => setRotating(true)}>
          Replace referral code
        </Button>
      </div>
      {rotating && (
        <ReasonDialog
          title="Replace this patient's referral code?"
          confirmLabel="Replace code"
          busyLabel="Replacing…"
          variant="danger"
          busy={rotate.isPending}
          error={rotateError}
          onConfirm={confirmRotate}
          onClose={() => {
            setRotating(false);
            setRotateError(null);
          }}
        >
          <p>The patient gets a new code and link. Anyone opening the old link is told it no longer works.</p>
        </ReasonDialog>
      )}
    </div>
  );
}
