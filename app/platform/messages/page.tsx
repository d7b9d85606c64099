import type { Metadata } from "next";
import { formatDate } from "@/app/_components/format";
import { serverCaller } from "@/app/_trpc/server";
import { PageHeading, Table, td } from "../_components/table";

export const metadata: Metadata = { title: "Messages" };

/** The platform's message log: what it sent or would have sent; private links are never shown (issue 10). */
export default async function Messages() {
  const rows = await (await serverCaller()).platformB2b.messages();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading title="Messages">The latest 200 messages, newest first. Status links and other private links are hidden.</PageHeading>
      <Table caption={`${rows.length} message(s)`} head={["When", "To", "Subject", "Status", "Body"]}>
        {rows.map((m) => (
          <tr key={m.id}>
            <td className={`${td} whitespace-nowrap`}>{formatDate(m.createdAt)}</td>
            <td className={td}>{m.to}</td>
            <td className={td}>{m.subject}</td>
            <td className={td}>{m.status}</td>
            <td className={`${td} max-w-md`}>
              <details>
                <summary className="cursor-pointer text-brand-700">Show</summary>
                <pre className="mt-2 whitespace-pre-wrap break-all font-sans text-xs">{m.body}</pre>
              </details>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
