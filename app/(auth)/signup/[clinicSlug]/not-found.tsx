import Link from "next/link";

/** A sign-up link for a clinic we don't know: a way forward instead of a dead end. */
export default function UnknownClinic() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-bold text-slate-900">We couldn&apos;t find that clinic</h1>
      <p className="text-lg text-slate-700">
        The sign-up link may be incomplete or out of date. Open the invitation link from your friend or clinic again, or
        ask your clinic for a new one.
      </p>
      <p className="text-slate-700">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
