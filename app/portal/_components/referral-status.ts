import { formatCents } from "@/app/_components/format";
import type { RouterOutputs } from "@/server/root";

type Referral = RouterOutputs["portal"]["referrals"][number];
type Tone = "neutral" | "good" | "warn" | "bad";

const INELIGIBLE_TEXT: Record<NonNullable<Referral["ineligibleReason"]>, string> = {
  self_referral: "Not eligible — this looks like your own account",
  existing_patient: "Not eligible — they were already a patient here",
  referrer_disabled: "Not eligible — your account was paused by the clinic",
};

/** Rule P15: each referral's status in plain language, never a status code. */
export function referralStatus(referral: Referral): { badge: string; tone: Tone; text: string } {
  switch (referral.status) {
    case "signed_up":
      return { badge: "Signed up", tone: "warn", text: "Signed up — you both get your credit after their first paid visit" };
    case "qualified":
      return {
        badge: "Visit complete",
        tone: "good",
        text:
          referral.referrerRewardCents > 0
            ? `Visit complete — you earned ${formatCents(referral.referrerRewardCents)}`
            : "Visit complete — this referral did not carry a reward",
      };
    case "ineligible":
      return {
        badge: "Not eligible",
        tone: "neutral",
        text: referral.ineligibleReason ? INELIGIBLE_TEXT[referral.ineligibleReason] : "Not eligible for a reward",
      };
  }
}
