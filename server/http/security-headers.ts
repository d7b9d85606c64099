import { createHash } from "node:crypto";

/** Headers every response carries, whatever made it (item 19). */
export const COMMON_SECURITY_HEADERS: Record<string, string> = {
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-content-type-options": "nosniff",
  // For browsers that predate frame-ancestors: the console must never be framed.
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

// Two years, as the HSTS preload list asks; sent only over https, where the browser honours it.
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The app's pages: scripts only with this request's nonce (and what they load, 'strict-dynamic'),
 * never inline ones without it. Styles may be inline: charts and React set style attributes.
 */
export function pageCsp(nonce: string, { https, dev }: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A page with no script at all and only known stylesheets, such as the referral landing. */
export function scriptlessCsp(...inlineStyles: [string, ...string[]]): string {
  const styleHashes = inlineStyles.map((style) => `'sha256-${createHash("sha256").update(style).digest("base64")}'`);
  return [
    "default-src 'none'",
    `style-src ${styleHashes.join(" ")}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Anything that is not a page (JSON, CSV): nothing may run or frame it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The API reference (/api/docs): our own Swagger UI files only, no CDN; its styles set style attributes. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** A fresh nonce per page request: 128 random bits. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
