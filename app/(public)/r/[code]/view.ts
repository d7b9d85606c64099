import { type BrandPalette, brandPalette, DEFAULT_PALETTE } from "@/server/schemas/brand";
import { formatReward } from "@/server/schemas/money";
import { scriptlessCsp } from "@/server/http/security-headers";
import { DEMO_BANNER_TEXT } from "@/server/demo/banner";
import type { Landing } from "@/server/services/referrals/referrals";
import { html, raw, type SafeHtml } from "./html";

// The landing is plain HTML with its own small stylesheet: it is the busiest page of the
// product and needs neither React nor the app's bundle (see bench/landing.ts).
// Its colours are custom properties: a clinic's brand (issue 13) is one more small stylesheet that sets them.
const paletteVars = (p: BrandPalette) =>
  `:root{--accent:${p.accent};--on-accent:${p.onAccent};--accent-hover:${p.accentHover};--accent-text:${p.text};--accent-border:${p.border}}`;

export const STYLE = `
${paletteVars(DEFAULT_PALETTE)}
*{box-sizing:border-box}
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a;line-height:1.5}
main{max-width:32rem;margin:0 auto;min-height:100vh;display:flex;flex-direction:column;justify-content:center;gap:1.25rem;padding:2.5rem 1.25rem}
.eyebrow{margin:0;font-size:.875rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase;color:var(--accent-text)}
h1{margin:0;font-size:1.875rem;line-height:1.2}
p{margin:0}
.lead{font-size:1.125rem;color:#334155}
.small{font-size:.875rem;color:#475569}
.button{display:inline-flex;justify-content:center;align-items:center;min-height:2.75rem;padding:.625rem 1rem;border-radius:.5rem;background:var(--accent);color:var(--on-accent);box-shadow:inset 0 0 0 1px var(--accent-border);font-weight:600;text-decoration:none}
.button:hover{background:var(--accent-hover)}
a{color:var(--accent-text)}
a:focus-visible{outline:2px solid var(--accent-border);outline-offset:2px}
.band{height:.5rem;background:var(--accent);box-shadow:inset 0 -1px 0 var(--accent-border)}
.demo{margin:0;padding:.5rem 1.25rem;background:#fef3c7;color:#78350f;border-bottom:1px solid #f59e0b;font-size:.875rem;text-align:center}
.logo{height:3rem;width:auto;align-self:flex-start}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600;letter-spacing:.1em}
`;

export type PageOptions = { demo: boolean };
/** A page and the CSP that allows exactly its stylesheets (no script at all). */
export type LandingPage = { html: string; csp: string };

/**
 * A clinic's colour (issue 13, rule N5) adds a stylesheet setting the palette and a band in the
 * accent; without one the page is the product's own. The palette's values are `#rrggbb` only.
 */
function page(title: string, body: SafeHtml, { demo }: PageOptions, brandColor: string | null = null): LandingPage {
  const palette = brandPalette(brandColor);
  const brand = palette === DEFAULT_PALETTE ? null : paletteVars(palette);
  const banner = demo ? html`<aside class="demo" aria-label="Demo data"><p><strong>${DEMO_BANNER_TEXT}</strong></p></aside>` : "";
  const head = html`<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${title}</title><style>${raw(STYLE)}</style>${brand ? html`<style>${raw(brand)}</style>` : ""}`;
  const band = brand ? html`<div class="band" aria-hidden="true"></div>` : "";
  return {
    html: `<!doctype html>${html`<html lang="en"><head>${head}</head><body>${band}${banner}<main id="main">${body}</main></body></html>`}`,
    csp: brand ? scriptlessCsp(STYLE, brand) : DEFAULT_CSP,
  };
}

/** The CSP of a page without a clinic's colour. */
export const DEFAULT_CSP = scriptlessCsp(STYLE);

const signInLine = html`<p class="small">Already a patient? <a href="/signin">Sign in</a></p>`;
// Rule N6: a clinic's landing leads to that clinic's own sign-in.
const clinicSignInLine = (clinic: { slug: string; name: string }) =>
  html`<p class="small">Already a patient of ${clinic.name}? <a href="/signin/${encodeURIComponent(clinic.slug)}">Sign in</a></p>`;

export function landingPage(landing: Exclude<Landing, { kind: "unknown" | "rotated" }>, options: PageOptions): LandingPage {
  const { clinic } = landing;
  const signUp = `/signup/${encodeURIComponent(clinic.slug)}`;
  if (landing.kind === "paused") {
    return page(
      `${clinic.name}: referral program paused`,
      html`<p class="eyebrow">${clinic.name}</p>
        <h1>Our referral program is taking a break</h1>
        <p class="lead">${clinic.name} isn't running its referral program right now, so this invitation doesn't carry a welcome credit. You're still very welcome to become a patient.</p>
        <a class="button" href="${signUp}">Create your patient account</a>${clinicSignInLine(clinic)}`,
      options,
      clinic.brandColor,
    );
  }
  const reward =
    landing.refereeReward.amount > 0
      ? html` After your first visit you get <strong>${formatReward(landing.refereeReward)}</strong>, and your friend gets a thank-you too.`
      : "";
  return page(
    `You're invited to ${clinic.name}`,
    html`${clinic.logoId ? html`<img class="logo" src="/api/logos/${clinic.logoId}" alt="${clinic.name}" height="48">` : ""}<p class="eyebrow">${clinic.name}</p>
      <h1>A friend invited you to ${clinic.name}</h1>
      <p class="lead">Create your patient account and book your first visit.${reward}</p>
      <a class="button" href="${signUp}">Accept the invitation and sign up</a>
      <p class="small">Your invitation code is <span class="code">${landing.code}</span>. It stays with you for ${landing.attributionWindowDays} days on this device. <a href="${landing.learnMoreHref}">How the program works</a></p>
      ${clinicSignInLine(clinic)}`,
    options,
    clinic.brandColor,
  );
}

/** Rule P4: an unknown or replaced code gets a way forward, never a stack trace. */
export function inactiveLinkPage(options: PageOptions): LandingPage {
  return page(
    "This invitation link isn't active",
    html`<h1>This invitation link isn't active</h1>
      <p class="lead">The link may have been typed with a mistake, or the person who shared it has a newer one. Check the link, or ask them to send it again.</p>
      ${signInLine}`,
    options,
  );
}

/** A failure we did not foresee: a way forward, never a stack trace. */
export function failurePage(): LandingPage {
  return page(
    "Something went wrong",
    html`<h1>Something went wrong on our side</h1>
      <p class="lead">We couldn't open this invitation just now. Please try the link again in a moment.</p>
      ${signInLine}`,
    { demo: false },
  );
}

// The cache hands out the same Landing for seconds at a time: its page is built once, not per click.
const rendered = new WeakMap<Landing, { demo?: LandingPage; plain?: LandingPage }>();

/** `landingPage` or `inactiveLinkPage` with its CSP, remembered for as long as the Landing object lives. */
export function pageFor(landing: Landing, options: PageOptions): LandingPage {
  let pages = rendered.get(landing);
  if (!pages) rendered.set(landing, (pages = {}));
  const slot = options.demo ? "demo" : "plain";
  return (pages[slot] ??= landing.kind === "unknown" || landing.kind === "rotated" ? inactiveLinkPage(options) : landingPage(landing, options));
}
