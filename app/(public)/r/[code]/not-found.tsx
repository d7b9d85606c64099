import Link from "next/link";

/** Rule P4: an unknown or replaced code gets a way forward, never a stack trace. */
export default function UnknownReferralLink() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-5 px-5 py-10">
      <h1 className="text-3xl font-bold text-slate-900">This invitation link isn&apos;t active</h1>
      <p className="text-lg text-slate-700">
        The link may have been typed with a mistake, or the person who shared it has a newer one. Check the link, or ask
        them to send it again.
      </p>
      <p className="text-slate-700">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </main>
  );
}
