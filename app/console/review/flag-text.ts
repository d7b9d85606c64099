import type { RouterOutputs } from "@/server/root";

type Flag = RouterOutputs["review"]["queue"][number]["flags"][number];

const TITLES: Record<Flag["kind"], string> = {
  same_ip: "Same network as the referrer",
  same_device: "Same device as the referrer",
  disposable_email: "Disposable email address",
  velocity: "Many referrals in a short time",
};

const when = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

/** Rule P6: why a referral is waiting, in words; machine timestamps in the evidence become dates. */
export function flagText(flag: Flag): { title: string; evidence: string } {
  const evidence = flag.evidence.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, (iso) => when.format(new Date(iso)));
  return { title: TITLES[flag.kind], evidence };
}
