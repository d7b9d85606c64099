"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SelectField } from "@/app/_components/fields";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors } from "@/app/_trpc/errors";
import { parseDollars } from "@/server/schemas/money";

/** Rule B3/B4: the steps a platform admin can take from here; the server refuses any other. */
/** `today` is the platform's date (PLATFORM_TIME_ZONE), given by the page: the payment form's default dates. */
export function ReferralActions({ referralId, status, duplicate, today }: { referralId: string; status: string; duplicate: boolean; today: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const opts = (done: string) => ({
    onSuccess: () => {
      setError(null);
      setNotice(done);
      router.refresh();
    },
    onError: (e: unknown) => {
      const { form, fields } = formErrors(e);
      setNotice(null);
      setError(form ?? Object.values(fields).find(Boolean) ?? "That didn't work.");
    },
  });
  const startReview = useMutation(trpc.platformB2b.startReview.mutationOptions(opts("Marked under review.")));
  const accept = useMutation(trpc.platformB2b.accept.mutationOptions(opts("Accepted; the referrer has been told.")));
  const reject = useMutation(trpc.platformB2b.reject.mutationOptions(opts("Rejected; the referrer can read the reason.")));
  const won = useMutation(trpc.platformB2b.markWon.mutationOptions(opts("Marked won.")));
  const lost = useMutation(trpc.platformB2b.markLost.mutationOptions(opts("Marked lost.")));
  const payment = useMutation(trpc.platformB2b.recordPayment.mutationOptions(opts("Payment recorded.")));
  const end = useMutation(trpc.platformB2b.endContract.mutationOptions(opts("Contract end recorded.")));
  const [reason, setReason] = useState("");
  const [contract, setContract] = useState({ contractStart: today, launchDate: today, plan: "Standard", fee: "" });
  const [pay, setPay] = useState({ amount: "", receivedOn: today, periodStart: today, periodEnd: today, kind: "maintenance" as "maintenance" | "other" });
  const [payKey, setPayKey] = useState(() => crypto.randomUUID());
  const [contractEnd, setContractEnd] = useState(today);

  if (duplicate) return <Alert tone="info">A duplicate is kept for the record; the first referral of this practice is the one to work.</Alert>;
  const open = status === "submitted" || status === "under_review";
  return (
    <Card title="Actions">
      <div className="flex flex-col gap-4">
        {error && <Alert>{error}</Alert>}
        {notice && <Alert tone="success">{notice}</Alert>}
        {open && (
          <div className="flex flex-wrap gap-2">
            {status === "submitted" && <Button variant="secondary" busy={startReview.isPending} onClick={() => startReview.mutate({ referralId })}>Start review</Button>}
            <Button busy={accept.isPending} onClick={() => accept.mutate({ referralId })}>Accept</Button>
          </div>
        )}
        {(open || status === "accepted") && (
          <form method="post" className="flex flex-col gap-2" onSubmit={(e) => { e.preventDefault(); reject.mutate({ referralId, reason }); }}>
            <TextField label="Reason for rejecting (the referrer reads this)" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            <Button type="submit" variant="danger" busy={reject.isPending} className="self-start">Reject</Button>
          </form>
        )}
        {status === "accepted" && (
          <>
            <form method="post"
              className="grid gap-3 sm:grid-cols-2"
              onSubmit={(e) => {
                e.preventDefault();
                const cents = parseDollars(contract.fee);
                if (cents === null) return setError("Monthly maintenance fee: enter an amount like 300 or 299.99.");
                won.mutate({ referralId, contractStart: contract.contractStart, launchDate: contract.launchDate, plan: contract.plan, monthlyFeeCents: cents });
              }}
            >
              <TextField label="Contract start" name="contractStart" type="date" value={contract.contractStart} onChange={(e) => setContract({ ...contract, contractStart: e.target.value })} />
              <TextField label="Launch date" name="launchDate" type="date" value={contract.launchDate} onChange={(e) => setContract({ ...contract, launchDate: e.target.value })} />
              <TextField label="Plan" name="plan" value={contract.plan} onChange={(e) => setContract({ ...contract, plan: e.target.value })} />
              <TextField label="Monthly maintenance fee ($)" name="monthlyFee" inputMode="decimal" value={contract.fee} onChange={(e) => setContract({ ...contract, fee: e.target.value })} />
              <Button type="submit" busy={won.isPending} className="self-start">Mark won</Button>
            </form>
            <Button variant="secondary" busy={lost.isPending} className="self-start" onClick={() => lost.mutate({ referralId, reason: reason || "Lost" })}>Mark lost</Button>
          </>
        )}
        {status === "won" && (
          <>
            <form method="post"
              className="grid gap-3 sm:grid-cols-2"
              onSubmit={(e) => {
                e.preventDefault();
                const cents = parseDollars(pay.amount);
                if (cents === null || cents <= 0) return setError("Payment: enter an amount like 300 or 299.99.");
                payment.mutate({ referralId, kind: pay.kind, amountCents: cents, receivedOn: pay.receivedOn, periodStart: pay.periodStart, periodEnd: pay.periodEnd, idempotencyKey: payKey }, { onSuccess: () => setPayKey(crypto.randomUUID()) });
              }}
            >
              <h3 className="font-semibold sm:col-span-2">Record a payment from this customer</h3>
              <TextField label="Amount ($)" name="amount" inputMode="decimal" value={pay.amount} onChange={(e) => setPay({ ...pay, amount: e.target.value })} />
              <SelectField label="Kind" name="kind" value={pay.kind} onChange={(e) => setPay({ ...pay, kind: e.target.value as "maintenance" | "other" })} options={[["maintenance", "Maintenance and support"], ["other", "Other (setup, hardware…)"]]} />
              <TextField label="Received on" name="receivedOn" type="date" value={pay.receivedOn} onChange={(e) => setPay({ ...pay, receivedOn: e.target.value })} />
              <TextField label="Period start" name="periodStart" type="date" value={pay.periodStart} onChange={(e) => setPay({ ...pay, periodStart: e.target.value })} />
              <TextField label="Period end" name="periodEnd" type="date" value={pay.periodEnd} onChange={(e) => setPay({ ...pay, periodEnd: e.target.value })} />
              <Button type="submit" busy={payment.isPending} className="self-end">Record payment</Button>
            </form>
            <form method="post" className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); end.mutate({ referralId, contractEnd }); }}>
              <TextField label="Contract ended on" name="contractEnd" type="date" value={contractEnd} onChange={(e) => setContractEnd(e.target.value)} />
              <Button type="submit" variant="secondary" busy={end.isPending}>Record contract end</Button>
            </form>
          </>
        )}
        {!open && status !== "accepted" && status !== "won" && <p className="text-sm text-slate-700">This referral is closed.</p>}
      </div>
    </Card>
  );
}
