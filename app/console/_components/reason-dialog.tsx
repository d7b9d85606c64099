"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Alert, Button, TextField } from "@/app/_components/ui";
import { reasonField } from "@/server/schemas/controls";

type Props = {
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  busyLabel: string;
  variant?: "primary" | "danger";
  busy: boolean;
  /** A failure to show in the dialog, in plain words. */
  error: string | null;
  /** Resolves true when the action succeeded; the dialog then closes. */
  onConfirm: (reason: string) => Promise<boolean>;
  onClose: () => void;
};

/**
 * Rule C4: a staff action confirmed with a reason for the audit log, in a native modal dialog
 * (focus is trapped and returned by the browser; Escape closes it unless a request is in flight).
 */
export function ReasonDialog({ title, children, confirmLabel, busyLabel, variant = "primary", busy, error, onConfirm, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (busy) return;
    const checked = reasonField.safeParse(reason);
    if (!checked.success) {
      setReasonError(checked.error.issues[0]?.message);
      return;
    }
    setReasonError(undefined);
    if (await onConfirm(checked.data)) dialog.current?.close();
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => busy && event.preventDefault()}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg overflow-y-auto rounded-xl bg-white p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-4 p-5">
        <h2 id={titleId} className="text-xl font-semibold text-slate-900">
          {title}
        </h2>
        <div className="text-sm text-slate-700">{children}</div>
        {error && <Alert>{error}</Alert>}
        <TextField
          label="Reason"
          hint="Required. It is kept in the audit log."
          name="reason"
          autoFocus
          autoComplete="off"
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={reasonError}
        />
        <div className="flex flex-wrap-reverse justify-end gap-3">
          <Button type="button" variant="secondary" disabled={busy} onClick={() => dialog.current?.close()}>
            {error ? "Close" : "Cancel"}
          </Button>
          <Button type="submit" variant={variant} busy={busy}>
            {busy ? busyLabel : confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
