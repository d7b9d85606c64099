import { Card } from "@/app/_components/ui";
import { qrSvg as renderQr, shareLinks } from "@/server/services/referrals/share-links";
import { ShareActions } from "./share-actions";

type Props = { origin: string; code: string; clinicName: string; message: string };

const LINK_TEXT_ID = "referral-link-text";

/** Rule P3: the patient's own link, ready to copy, scan or send. */
export async function ReferralLinkCard({ origin, code, clinicName, message }: Props) {
  const links = shareLinks({ origin, code, clinicName, message });
  const qrSvg = await renderQr(links.qr);

  return (
    <Card title="Your referral link">
      <p className="text-sm text-slate-700">Anyone who signs up through this link is connected to you.</p>
      <p
        id={LINK_TEXT_ID}
        data-testid="referral-link"
        className="my-3 rounded-lg border border-brand-100 bg-brand-50 px-3 py-3 font-mono text-base font-semibold wrap-anywhere text-brand-800 select-all"
      >
        {/* On a narrow screen the line breaks before the code, not inside it. */}
        {origin}/r/<wbr />
        {code}
      </p>
      <p className="mb-4 text-sm text-slate-700">
        Your code: <span className="font-mono font-semibold tracking-wider text-slate-900">{code}</span>
      </p>
      <ShareActions
        copyUrl={links.copy}
        shareUrl={links.share}
        linkTextId={LINK_TEXT_ID}
        shareTitle={links.subject}
        shareText={message}
        emailHref={links.emailHref}
        smsHref={links.smsHref}
      />
      <div className="mt-4 flex flex-col items-center gap-2 border-t border-slate-200 pt-4">
        <h3 className="self-start text-base font-semibold text-slate-900">Scan to open</h3>
        <div
          role="img"
          aria-label="QR code that opens your referral link"
          className="size-48 [&>svg]:size-full"
          // The SVG is generated on our server from the patient's own link, not from user input.
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <a
          href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
          download="referral-qr-code.svg"
          className="min-h-11 content-center text-sm font-medium text-brand-700 underline underline-offset-4"
        >
          Download QR code (SVG)
        </a>
      </div>
    </Card>
  );
}
