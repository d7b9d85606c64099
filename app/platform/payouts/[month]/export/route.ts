import { stringify } from "csv-stringify";
import { serverCaller } from "@/app/_trpc/server";

/** Rule B6: the month's payout lines as CSV, streamed; the procedure checks the platform role. */
export async function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const lines = await (await serverCaller()).platformB2b.payoutLines({ month }).catch(() => null);
  if (!lines) return new Response("Not found or not allowed.", { status: 404 });
  const csv = stringify({
    header: true,
    columns: ["month", "referrerName", "referrerEmail", "organization", "practiceName", "plan", "settlement", "earnedOn", "applyOn", "amount", "itemStatus", "paidReference"],
  });
  for (const line of lines) csv.write({ ...line, amount: (line.amountCents / 100).toFixed(2) });
  csv.end();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      csv.on("data", (chunk: Buffer | string) => controller.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk)));
      csv.on("end", () => controller.close());
      csv.on("error", (error) => controller.error(error));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="payouts-${month.replace(/[^0-9-]/g, "")}.csv"`,
      "cache-control": "no-store",
    },
  });
}
