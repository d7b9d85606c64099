import { serverCaller } from "@/app/_trpc/server";
import { payoutLinesCsv } from "@/server/services/partners/payouts";

/** Rule B6: the month's payout lines as CSV; the procedure checks the platform role. */
export async function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const lines = await (await serverCaller()).platformB2b.payoutLines({ month }).catch(() => null);
  if (!lines) return new Response("Not found or not allowed.", { status: 404 });
  return new Response(payoutLinesCsv(lines), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="payouts-${month.replace(/[^0-9-]/g, "")}.csv"`,
      "cache-control": "no-store",
    },
  });
}
