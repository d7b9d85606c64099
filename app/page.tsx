import Link from "next/link";
import { linkButtonClass } from "@/app/_components/ui";

export default function Home() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-6 px-5 py-10">
      <h1 className="text-4xl font-bold text-slate-900">Referrals for healthcare practices</h1>
      <p className="text-lg text-slate-700">
        Turn happy patients into new patients. Patients share a personal link, friends sign up through it, and both get a
        credit after the first visit.
      </p>
      <div className="flex flex-wrap gap-3">
        <Link href="/start-a-program" className={linkButtonClass}>
          Start a referral program
        </Link>
        <Link
          href="/signin"
          className="inline-flex min-h-11 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Sign in
        </Link>
      </div>
    </main>
  );
}
