import { formatCents } from "@/app/_components/format";

type Rewards = { referrerRewardCents: number; refereeRewardCents: number };

/** The program in one sentence, in the patient's terms (rule P15). */
export function offerSentence({ referrerRewardCents: mine, refereeRewardCents: theirs }: Rewards): string {
  const when = "when a friend signs up with your link and has their first paid visit";
  if (mine > 0 && theirs > 0) {
    return `Give ${formatCents(theirs)}, get ${formatCents(mine)}: ${when}, they get a ${formatCents(theirs)} credit and you get ${formatCents(mine)}.`;
  }
  if (mine > 0) return `Get ${formatCents(mine)}: ${when}, you get a ${formatCents(mine)} credit.`;
  if (theirs > 0) return `Give ${formatCents(theirs)}: ${when}, they get a ${formatCents(theirs)} credit.`;
  return "Know someone who would like our care? Share your personal link with them.";
}

/** What a friend reads in an email or text message; the link is added by the caller. */
export function shareMessage(clinicName: string, { refereeRewardCents }: Rewards, programEnabled: boolean): string {
  const credit =
    programEnabled && refereeRewardCents > 0
      ? ` If you sign up with my link, you get a ${formatCents(refereeRewardCents)} credit after your first paid visit.`
      : "";
  return `I go to ${clinicName} and I think you'd like it too.${credit}`;
}
