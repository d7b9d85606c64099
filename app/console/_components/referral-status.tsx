import { StatusBadge } from "@/app/_components/ui";
import type { RouterOutputs } from "@/server/root";

export type ConsoleReferral = RouterOutputs["clinic"]["referrals"]["rows"][number];

const STATUS = {
  signed_up: { label: "Signed up", tone: "neutral" },
  qualified: { label: "Qualified", tone: "good" },
  ineligible: { label: "Not eligible", tone: "bad" },
} as const;

export function ReferralStatusBadge({ status }: { status: ConsoleReferral["status"] }) {
  return <StatusBadge tone={STATUS[status].tone}>{STATUS[status].label}</StatusBadge>;
}

export function fullName(person: { firstName: string; lastName: string }) {
  return `${person.firstName} ${person.lastName}`;
}
