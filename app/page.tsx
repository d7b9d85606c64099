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
        <Link href="/signin" className={linkButtonClass}>
          Sign in
        </Link>
      </div>
    </main>
  );
}
