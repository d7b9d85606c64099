import type { Metadata } from "next";
import Link from "next/link";
import { MESSAGE_LOG_PAGE } from "@/server/schemas/messages";
import { formatDate } from "@/app/_components/format";
import { serverCaller } from "@/app/_trpc/server";
import { MyNotifications } from "./my-notifications";

export const metadata: Metadata = { title: "Messages" };

/** As many as messages.log answers at once (server/routers/messages.ts). */
const PAGE = MESSAGE_LOG_PAGE;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_TEXT: Record<string, string> = {
  pending: "Waiting to send",
  sent: "Sent",
  failed: "Failed after retries",
  logged: "Kept, not sent (no email or SMS service configured)",
  suppressed: "Not sent (consent)",
  bounced: "Bounced; address suppressed",
  expired: "Not sent (too late)",
  held: "Waiting until an admin confirms their email address",
};

/** Rules A2, A3: what the program sent or would have sent; private links are never shown here. */
export default async function MessagesPage({ searchParams }: { searchParams: Promise<{ before?: string | string[] }> }) {
  const { before: raw } = await searchParams;
  // The id of the last message of the page before: not personal, so it may travel in the URL.
  const before = typeof raw === "string" && UUID.test(raw) ? raw : null;
  const caller = await serverCaller();
  const [rows, choices] = await Promise.all([caller.messages.log({ before }), caller.messages.myNotifications()]);
  const last = rows.length === PAGE ? rows[rows.length - 1] : undefined;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Messages</h1>
        <p className="mt-1 text-slate-700">
          {before ? "Older messages" : "The latest messages"}, {PAGE} at a time, newest first, as they were (or would have been) sent. Links private to the recipient are hidden.
        </p>
      </div>
      <MyNotifications initial={choices} />
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">{`${rows.length} message(s)`}</caption>
          <thead>
            <tr className="border-b border-slate-200">
              {["When", "Channel", "To", "Subject", "Status", "Message"].map((h) => (
                <th key={h} scope="col" className="px-2 py-2 font-semibold text-slate-800">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id} className="border-b border-slate-100 align-top">
                <td className="whitespace-nowrap px-2 py-2">{formatDate(m.createdAt)}</td>
                <td className="px-2 py-2">{m.channel}</td>
                <td className="px-2 py-2">{m.to}</td>
                <td className="px-2 py-2">{m.subject}</td>
                <td className="px-2 py-2">
                  {STATUS_TEXT[m.status] ?? m.status}
                  {m.sendAfter && m.status === "pending" ? ` (not before ${formatDate(m.sendAfter)})` : ""}
                </td>
                <td className="max-w-md px-2 py-2">
                  <details>
                    <summary className="cursor-pointer text-brand-700">Show</summary>
                    <pre className="mt-2 whitespace-pre-wrap break-all font-sans text-xs">{m.body}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(before || last) && (
        <nav aria-label="Pages of the message log" className="flex gap-4">
          {before && (
            <Link href="/console/messages" className="text-brand-700 underline">
              Newest messages
            </Link>
          )}
          {last && (
            <Link href={`/console/messages?before=${last.id}`} className="text-brand-700 underline">
              Older messages
            </Link>
          )}
        </nav>
      )}
      {before && rows.length === 0 && <p className="text-slate-700">No older messages.</p>}
    </div>
  );
}
