"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { newIdempotencyKey } from "@/app/_components/idempotency-key";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { formErrors } from "@/app/_trpc/errors";
import { useTRPC } from "@/app/_trpc/client";
import { formatCents } from "@/server/schemas/money";
import { refreshQueries } from "@/app/_trpc/refresh";

/** Rule P8: the patient turns points into credit, when their clinic offers it and they have enough. */
export function ConvertPoints({ pointsBalance }: { pointsBalance: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rule = useQuery(trpc.portal.pointConversion.queryOptions());
  const [points, setPoints] = useState("");
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<string | null>(null);
  const convert = useMutation(trpc.portal.convertPoints.mutationOptions());
  if (!rule.data) return null;
  const { points: block, creditCents, minimumPoints } = rule.data;
  const rate = `${block.toLocaleString("en-US")} points = ${formatCents(creditCents)} credit`;
  const wanted = /^\d+$/.test(points.trim()) ? Number(points) : Number.NaN;
  const preview = Number.isInteger(wanted) && wanted > 0 && wanted % block === 0 ? formatCents((wanted / block) * creditCents) : null;
  const server = formErrors(convert.error);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (convert.isPending) return;
    setDone(null);
    convert.mutate(
      { points: Number.isNaN(wanted) ? -1 : wanted, idempotencyKey },
      {
        onSuccess: (result) => {
          setDone(`Converted ${result.points.toLocaleString("en-US")} points to ${formatCents(result.creditCents)} credit. It applies to your next order.`);
          setPoints("");
          setIdempotencyKey(newIdempotencyKey());
          void refreshQueries(queryClient, trpc.portal.overview.queryKey());
          void refreshQueries(queryClient, trpc.portal.ledger.queryKey());
        },
      },
    );
  }

  return (
    <Card title="Turn points into credit">
      <p className="text-sm text-slate-700">
        {rate}, from {minimumPoints.toLocaleString("en-US")} points up. You have <strong>{pointsBalance.toLocaleString("en-US")} points</strong>.
      </p>
      {pointsBalance < minimumPoints ? (
        <p className="mt-2 text-sm text-slate-700">Once you have {minimumPoints.toLocaleString("en-US")} points you can convert them here.</p>
      ) : (
        <form method="post" onSubmit={submit} noValidate className="mt-3 flex flex-col gap-3">
          <TextField
            label="Points to convert"
            name="points"
            inputMode="numeric"
            autoComplete="off"
            value={points}
            onChange={(e) => setPoints(e.target.value)}
            hint={`In blocks of ${block.toLocaleString("en-US")}.${preview ? ` You get ${preview} credit.` : ""}`}
            error={server.fields.points}
          />
          {server.form && <Alert>{server.form}</Alert>}
          {done && <Alert tone="success">{done}</Alert>}
          <div>
            <Button type="submit" busy={convert.isPending}>
              Convert points
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
