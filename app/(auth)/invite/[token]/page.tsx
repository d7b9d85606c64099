import type { Metadata } from "next";
import Link from "next/link";
import { linkButtonClass } from "@/app/_components/ui";
import { getDb } from "@/server/db";
import { invitationToken } from "@/server/schemas/team";
import { invitationByToken, UNUSABLE_INVITATION } from "@/server/services/clinics/invitations";
import { AcceptInvitationForm } from "./accept-form";

// The token is a credential: never indexed, never sent on as a referrer.
export const metadata: Metadata = { title: "Join your clinic's team", robots: { index: false, follow: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Rule C5: the public end of an invitation link. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = invitationToken.safeParse(token).success ? await invitationByToken({ db: await getDb() }, { token }) : null;

  const problem = !invitation
    ? "We couldn't find this invitation. Check that you copied the whole link, or ask your clinic's admin for a new one."
    : invitation.state === "pending"
      ? null
      : UNUSABLE_INVITATION[invitation.state];

  if (!invitation || problem) {
    return (
      <>
        <h1 className="text-3xl font-bold text-slate-900">This invitation can&apos;t be used</h1>
        <p className="text-slate-700" role="status">
          {problem}
        </p>
        <Link href="/signin" className={`${linkButtonClass} self-start`}>
          Go to sign in
        </Link>
      </>
    );
  }

  return (
    <>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{invitation.clinicName}</p>
        <h1 className="text-3xl font-bold text-slate-900">Join the team</h1>
        <p className="text-slate-700">
          You&apos;re invited to {invitation.clinicName}&apos;s referral console as{" "}
          <strong>{invitation.role === "admin" ? "an admin" : "a staff member"}</strong>. You&apos;ll sign in with{" "}
          <strong>{invitation.email}</strong>.
        </p>
      </div>
      <AcceptInvitationForm token={token} email={invitation.email} baaRequired={invitation.baaRequired} />
    </>
  );
}
