import type { Metadata } from "next";
import Link from "next/link";
import { BAA_SECTIONS, BAA_TITLE, BAA_VERSION, SUBPROCESSORS_PATH } from "@/server/schemas/baa";

export const metadata: Metadata = { title: BAA_TITLE };

/** Issue 19: the platform's BAA in force, the text a clinic's admin accepts. */
export default function BusinessAssociateAgreement() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-5 py-8 sm:py-12">
      <h1 className="text-3xl font-bold text-slate-900">{BAA_TITLE}</h1>
      <p className="mt-2 text-slate-700">
        Version <strong>{BAA_VERSION}</strong>. An admin of each practice accepts this version, for the practice, before its referral program goes live.
      </p>
      <p className="mt-2 text-slate-700">
        The services that may carry patient data for us, and what each receives, are on the{" "}
        <Link href={SUBPROCESSORS_PATH} className="font-medium text-brand-700 underline">
          subprocessors page
        </Link>
        .
      </p>
      {BAA_SECTIONS.map((section) => (
        <section key={section.heading} className="mt-8">
          <h2 className="text-xl font-semibold text-slate-900">{section.heading}</h2>
          {section.paragraphs.map((paragraph) => (
            <p key={paragraph.slice(0, 40)} className="mt-3 text-slate-700">
              {paragraph}
            </p>
          ))}
        </section>
      ))}
    </main>
  );
}
