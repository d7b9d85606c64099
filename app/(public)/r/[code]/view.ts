import { formatReward } from "@/server/schemas/money";
import type { Landing } from "@/server/services/referrals";
import { html, raw, type SafeHtml } from "./html";

// The landing is plain HTML with its own small stylesheet: it is the busiest page of the
// product and needs neither React nor the app's bundle (see bench/landing.ts).
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a;line-height:1.5}
main{max-width:32rem;margin:0 auto;min-height:100vh;display:flex;flex-direction:column;justify-content:center;gap:1.25rem;padding:2.5rem 1.25rem}
.eyebrow{margin:0;font-size:.875rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase;color:#0d5f59}
h1{margin:0;font-size:1.875rem;line-height:1.2}
p{margin:0}
.lead{font-size:1.125rem;color:#334155}
.small{font-size:.875rem;color:#475569}
.button{display:inline-flex;justify-content:center;align-items:center;min-height:2.75rem;padding:.625rem 1rem;border-radius:.5rem;background:#0f766e;color:#fff;font-weight:600;text-decoration:none}
.button:hover{background:#0d5f59}
a{color:#0d5f59}
a:focus-visible{outline:2px solid #0f766e;outline-offset:2px}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600;letter-spacing:.1em}
`;

function page(title: string, body: SafeHtml): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${title}</title><style>${raw(STYLE)}</style></head><body><main id="main">${body}</main></body></html>`}`;
}

const signInLine = html`<p class="small">Already a patient? <a href="/signin">Sign in</a></p>`;

export function landingPage(landing: Exclude<Landing, { kind: "unknown" | "rotated" }>): string {
  const { clinic } = landing;
  const signUp = `/signup/${encodeURIComponent(clinic.slug)}`;
  if (landing.kind === "paused") {
    return page(
      `${clinic.name}: referral program paused`,
      html`<p class="eyebrow">${clinic.name}</p>
        <h1>Our referral program is taking a break</h1>
        <p class="lead">${clinic.name} isn't running its referral program right now, so this invitation doesn't carry a welcome credit. You're still very welcome to become a patient.</p>
        <a class="button" href="${signUp}">Create your patient account</a>${signInLine}`,
    );
  }
  const reward =
    landing.refereeReward.amount > 0
      ? html` After your first visit you get <strong>${formatReward(landing.refereeReward)}</strong>, and your friend gets a thank-you too.`
      : "";
  return page(
    `You're invited to ${clinic.name}`,
    html`<p class="eyebrow">${clinic.name}</p>
      <h1>A friend invited you to ${clinic.name}</h1>
      <p class="lead">Create your patient account and book your first visit.${reward}</p>
      <a class="button" href="${signUp}">Accept the invitation and sign up</a>
      <p class="small">Your invitation code is <span class="code">${landing.code}</span>. It stays with you for ${landing.attributionWindowDays} days on this device. <a href="${landing.learnMoreHref}">How the program works</a></p>
      ${signInLine}`,
  );
}

/** Rule P4: an unknown or replaced code gets a way forward, never a stack trace. */
export function inactiveLinkPage(): string {
  return page(
    "This invitation link isn't active",
    html`<h1>This invitation link isn't active</h1>
      <p class="lead">The link may have been typed with a mistake, or the person who shared it has a newer one. Check the link, or ask them to send it again.</p>
      ${signInLine}`,
  );
}
