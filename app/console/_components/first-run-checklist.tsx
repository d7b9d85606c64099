import Link from "next/link";
import { Card, StatusBadge } from "@/app/_components/ui";
import { ACCEPT_BAA_FIRST } from "@/server/schemas/baa";
import type { RouterOutputs } from "@/server/root";
import { ConfirmEmailNotice } from "./confirm-email-notice";

type Step = RouterOutputs["dashboard"]["checklist"][number];

const STEPS: Record<Step["id"], { label: string; href: string; hint: string }> = {
  profile: { label: "Add your clinic's profile", href: "/console/settings/profile", hint: "Logo, address and phone, shown on your referral page." },
  services: { label: "List your services and prices", href: "/console/settings/services", hint: "What patients can order and pay with credit." },
  rewards: { label: "Choose the rewards", href: "/console/settings", hint: "What the referrer and the new patient earn, and when." },
  patients: { label: "Bring in your patients", href: "/console/patients/import", hint: "Import a CSV, or add patients at the front desk." },
  agreement: { label: "Accept the Business Associate Agreement", href: "/console/settings#baa", hint: "An admin accepts it for the clinic before the program goes live." },
  live: { label: "Turn the program on", href: "/console/settings", hint: "Patients can share their links once it is on." },
};

/** Issue 13: the first-run checklist, until every step is done. */
export function FirstRunChecklist({ steps }: { steps: Step[] }) {
  const left = steps.filter((s) => !s.done).length;
  if (left === 0) return null;
  return (
    <Card title="Set up your referral program">
      <p className="text-sm text-slate-700">
        {left === 1 ? "One step left." : `${left} of ${steps.length} steps left.`} Each step is checked from what your clinic has, however it was done.
      </p>
      <ol className="mt-3 flex flex-col gap-2">
        {steps.map((step) => (
          <li key={step.id} className="flex flex-wrap items-center gap-3">
            <StatusBadge tone={step.done ? "good" : step.waitingFor ? "warn" : "neutral"}>{step.done ? "Done" : step.waitingFor ? "Waiting" : "To do"}</StatusBadge>
            <Link href={STEPS[step.id].href} className="font-medium text-brand-700 underline">
              {STEPS[step.id].label}
            </Link>
            <span className="text-sm text-slate-600">{STEPS[step.id].hint}</span>
            {step.waitingFor === "agreement" && <p className="basis-full text-sm text-amber-900">{ACCEPT_BAA_FIRST}</p>}
            {step.waitingFor === "email_confirmation" && (
              <div className="basis-full">
                <ConfirmEmailNotice />
              </div>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
