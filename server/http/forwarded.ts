/**
 * Which forwarded headers to believe, by TRUSTED_PROXY_HOPS (rule N3 for addresses, item 19 for
 * https): with N proxies in front, each appends to X-Forwarded-For, so the N-th entry from the
 * right is the one the outermost proxy saw; entries left of it are whatever the client sent.
 * With 0, nothing forwarded is believed.
 */
function trustedEntry(value: string | null, hops: number): string | null {
  if (hops < 1 || !value) return null;
  const entries = value.split(",").map((e) => e.trim()).filter(Boolean);
  // Fewer entries than proxies: a proxy replaced the header rather than appending; the left-most is its.
  return entries.at(Math.max(entries.length - hops, 0)) ?? null;
}

/** The caller's address as the outermost trusted proxy saw it, or null when none is trusted. */
export function clientIp(headers: Headers, hops: number): string | null {
  if (hops < 1) return null;
  return trustedEntry(headers.get("x-forwarded-for"), hops) || headers.get("x-real-ip")?.trim() || null;
}

/** Whether the browser's connection is https: the URL itself, or a trusted TLS-terminating proxy's word. */
export function isHttps(url: URL, headers: Headers, hops: number): boolean {
  if (url.protocol === "https:") return true;
  return trustedEntry(headers.get("x-forwarded-proto"), hops)?.toLowerCase() === "https";
}

const FORWARDED = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

/** The request as seen without any proxy: for libraries that read forwarded headers themselves. */
export function withoutForwardedHeaders(request: Request): Request {
  if (!FORWARDED.some((name) => request.headers.has(name))) return request;
  const headers = new Headers(request.headers);
  for (const name of FORWARDED) headers.delete(name);
  return new Request(request, { headers });
}
