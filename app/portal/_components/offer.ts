import { QUALIFYING_TEXT } from "@/app/_components/program-text";
import { formatReward } from "@/server/schemas/money";
import type { RouterOutputs } from "@/server/root";

type Terms = Pick<RouterOutputs["portal"]["overview"], "referrerReward" | "refereeReward" | "qualifyingEvent">;

/** The program in one sentence, in the patient's terms (rules P8, P15). */
export function offerSentence({ referrerReward: mine, refereeReward: theirs, qualifyingEvent }: Terms): string {
  const when = `when a friend signs up with your link and has their first ${QUALIFYING_TEXT[qualifyingEvent]}`;
  if (mine.amount > 0 && theirs.amount > 0) return `Give ${formatReward(theirs)}, get ${formatReward(mine)}: ${when}, they get ${formatReward(theirs)} and you get ${formatReward(mine)}.`;
  if (mine.amount > 0) return `Get ${formatReward(mine)} ${when}.`;
  if (theirs.amount > 0) return `Give ${formatReward(theirs)} ${when}.`;
  return "Know someone who would like our care? Share your personal link with them.";
}

/** What a friend reads in an email or text message; the link is added by the caller. */
export function shareMessage(clinicName: string, { refereeReward, qualifyingEvent }: Terms, programEnabled: boolean): string {
  const reward =
    programEnabled && refereeReward.amount > 0
      ? ` If you sign up with my link, you get ${formatReward(refereeReward)} after your first ${QUALIFYING_TEXT[qualifyingEvent]}.`
      : "";
  return `I go to ${clinicName} and I think you'd like it too.${reward}`;
}
