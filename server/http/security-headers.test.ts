import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { STYLE } from "@/app/(public)/r/[code]/view";
import { COMMON_SECURITY_HEADERS, newNonce, NON_PAGE_CSP, pageCsp, scriptlessCsp } from "./security-headers";

const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe("security headers (issue 7 item 19)", () => {
  it("pages allow scripts only with this request's nonce, never inline ones, and cannot be framed", () => {
    const nonce = newNonce();
    const csp = directives(pageCsp(nonce, { https: false, dev: false }));
    expect(csp["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["upgrade-insecure-requests"]).toBeUndefined();
    expect(directives(pageCsp(nonce, { https: true, dev: false }))["upgrade-insecure-requests"]).toEqual([]);
  });

  it("a nonce is fresh and unguessable each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect(Buffer.from([...nonces][0] ?? "", "base64")).toHaveLength(16);
  });

  it("the landing runs no script at all and admits its one stylesheet by hash", () => {
    const csp = directives(scriptlessCsp(STYLE));
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["script-src"]).toBeUndefined();
    expect(csp["style-src"]).toEqual([`'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    // Issue 13: a clinic's colours are a second stylesheet, admitted by its own hash beside the first.
    const brand = ":root{--accent:#ffd500}";
    expect(directives(scriptlessCsp(STYLE, brand))["style-src"]).toEqual([`'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`, `'sha256-${createHash("sha256").update(brand).digest("base64")}'`]);
  });

  it("everything else carries nosniff, a referrer policy and no framing", () => {
    expect(COMMON_SECURITY_HEADERS).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin", "x-frame-options": "DENY" });
    expect(directives(NON_PAGE_CSP)["frame-ancestors"]).toEqual(["'none'"]);
  });
});
