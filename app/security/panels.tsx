import "server-only";
import { serverCaller } from "@/app/_trpc/server";
import { formatDate } from "@/app/_components/format";
import { Card, StatusBadge } from "@/app/_components/ui";
import { ConfirmTwoFactorForm, DisableTwoFactorForm, SignOutEverywhereForm, StartTwoFactorForm } from "./forms";

function lastUse(at: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 2) return "just now";
  if (minutes < 60) return `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} hour${hours === 1 ? "" : "s"} ago` : formatDate(at);
}

/** Rule N6: the account's signed-in browsers with their last use, and a way to end the others. */
export async function SessionsPanel() {
  const sessions = await (await serverCaller()).security.sessions();
  const now = new Date();
  return (
    <Card title="Where you're signed in">
      <ul className="mb-4 divide-y divide-slate-200" aria-label="Active sessions">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span className="font-medium text-slate-900">
              {s.device} {s.current && <StatusBadge tone="good">This browser</StatusBadge>}
            </span>
            <span className="text-sm text-slate-600">
              Signed in {formatDate(s.createdAt)} · last used {lastUse(s.lastUsedAt, now)}
            </span>
          </li>
        ))}
      </ul>
      <SignOutEverywhereForm />
    </Card>
  );
}

/** Rule N6: TOTP enrolment (QR code, a first code, recovery codes once) and turning it off. */
export async function TwoFactorPanel({ mustEnrol }: { mustEnrol: boolean }) {
  const caller = await serverCaller();
  const [status, pending] = await Promise.all([caller.security.twoFactor(), caller.security.pendingTwoFactor()]);
  if (!status.available) return null;
  return (
    <Card title="Two-factor sign-in">
      {status.enabled ? (
        <div className="flex flex-col gap-4">
          <p className="text-slate-800">
            <StatusBadge tone="good">On</StatusBadge> Signing in asks for a code from your authenticator app. {status.recoveryCodesLeft} of 10 recovery codes are
            unused.
          </p>
          <DisableTwoFactorForm />
        </div>
      ) : pending ? (
        <div className="flex flex-col gap-4">
          <p className="text-slate-800">Scan this code with your authenticator app (such as Google Authenticator, 1Password or Authy), then enter the 6-digit code it shows.</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL made on the server; nothing for the image optimiser to do */}
          <img src={pending.qrDataUrl} alt="QR code for your authenticator app" width={220} height={220} className="rounded border border-slate-200" />
          <p className="text-sm text-slate-700">
            Can’t scan it? Enter this key in the app: <code className="font-mono break-all text-slate-900" data-testid="totp-secret">{pending.secret}</code>
          </p>
          <ConfirmTwoFactorForm />
          <StartTwoFactorForm again />
        </div>
      ) : (
        <div className="flex flex-col gap-4">
          <p className="text-slate-800">
            {mustEnrol
              ? "Your account needs two-factor sign-in before you can continue. It takes a minute with an authenticator app on your phone."
              : "Add a code from an authenticator app on your phone to your password, so a stolen password alone can't open your account."}
          </p>
          <StartTwoFactorForm again={false} />
        </div>
      )}
    </Card>
  );
}
