import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/server/db";
import { kindSpec } from "@/server/messaging/kinds";
import { readUnsubscribeToken, unsubscribe } from "@/server/messaging/consent";

export const metadata: Metadata = { title: "Unsubscribe", referrer: "no-referrer", robots: { index: false } };

async function confirm(formData: FormData) {
  "use server";
  const token = String(formData.get("token") ?? "");
  await unsubscribe(await getDb(), token);
  redirect(`/unsubscribe/${token}?done=1`);
}

/** Rule A2: the unsubscribe link of a message; one button, so a link scanner opening it changes nothing. */
export default async function UnsubscribePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ done?: string }> }) {
  const { token } = await params;
  const target = readUnsubscribeToken(token);
  const label = target ? (kindSpec(target.kind)?.label ?? "these messages").toLowerCase() : null;
  const { done } = await searchParams;
  return (
    <main id="main" className="mx-auto max-w-lg p-8">
      <h1 className="text-2xl font-semibold">Unsubscribe</h1>
      {target && done ? (
        <p className="mt-4" role="status">
          You are unsubscribed from {label}. It takes effect at once.
        </p>
      ) : target ? (
        <form action={confirm} className="mt-4 space-y-4">
          <p>Stop emails of this kind: “{label}”. Messages about your account and orders still reach you.</p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="rounded bg-blue-700 px-4 py-2 text-white focus:outline-2 focus:outline-offset-2">
            Unsubscribe
          </button>
        </form>
      ) : (
        <p className="mt-4">This unsubscribe link is not valid.</p>
      )}
    </main>
  );
}
