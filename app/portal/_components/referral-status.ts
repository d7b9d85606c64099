import { QUALIFYING_TEXT } from "@/app/_components/program-text";
import { formatReward } from "@/server/schemas/money";
import type { RouterOutputs } from "@/server/root";

type Referral = RouterOutputs["portal"]["referrals"][number];
type Tone = "neutral" | "good" | "warn" | "bad";

const INELIGIBLE_TEXT: Record<NonNullable<Referral["ineligibleReason"]>, string> = {
  self_referral: "Not eligible — this looks like your own account",
  referrer_disabled: "Not eligible — your account was paused by the clinic",
  rejected: "Not eligible — the clinic reviewed this referral and declined it",
};

/** Rule P15: each referral's status in plain language, never a status code. */
export function referralStatus(referral: Referral): { badge: string; tone: Tone; text: string } {
  switch (referral.status) {
    case "signed_up":
      return {
        badge: referral.underReview ? "Being reviewed" : "Signed up",
        tone: "warn",
        // Worded for every sign-up alike: one the terms exclude reads the same (item 9 of issue 7).
        text: `Signed up — if the referral meets the program terms, you both get your reward after their first ${QUALIFYING_TEXT[referral.qualifyingEvent]}`,
      };
    case "qualified":
      // Rule P6: a flagged referral's reward is held until the clinic has looked at it.
      if (referral.underReview) {
        return { badge: "Being reviewed", tone: "warn", text: "Visit complete — the clinic is reviewing this referral before your reward is released" };
      }
      return {
        badge: "Visit complete",
        tone: "good",
        text:
          referral.referrerReward.amount > 0
            ? `Visit complete — you earned ${formatReward(referral.referrerReward)}`
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
