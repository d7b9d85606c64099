import QRCode from "qrcode";

/**
 * Rule P3: the patient's link and what each share action carries: the same `/r/{code}` link,
 * tagged with its channel (rule P4).
 */
export function shareLinks(input: { origin: string; code: string; clinicName: string; message: string }) {
  const link = `${input.origin}/r/${input.code}`;
  const subject = `Join me at ${input.clinicName}`;
  return {
    link,
    subject,
    qr: `${link}?via=qr`,
    copy: `${link}?via=copy`,
    share: `${link}?via=share`,
    emailHref: `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(`${input.message}\n\n${link}?via=email`)}`,
    smsHref: `sms:?&body=${encodeURIComponent(`${input.message} ${link}?via=sms`)}`,
  };
}

/** The QR code of the link, as the SVG the portal shows and offers to download. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1 });
}
