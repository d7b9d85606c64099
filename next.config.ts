import type { NextConfig } from "next";
import { COMMON_SECURITY_HEADERS, DOCS_CSP, NON_PAGE_CSP } from "./server/http/security-headers";

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at run time; argon2 is a native
  // addon; pg-boss loads its SQL plans and the pg driver by require.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg-boss"],
  poweredByHeader: false,
  typedRoutes: false,
  // Forms post to server actions (they work before the script loads): the same 256 KB cap as tRPC bodies.
  experimental: { serverActions: { bodySizeLimit: "256kb" } },
  // Pages get theirs, with a nonce, from proxy.ts, and the landing from its route handler.
  async headers() {
    return [
      // The API reference is a page of our own scripts; every other API answer runs nothing.
      { source: "/api/:path((?!docs(?:/|$)).*)", headers: asList({ ...COMMON_SECURITY_HEADERS, "content-security-policy": NON_PAGE_CSP }) },
      { source: "/api/docs/:path*", headers: asList({ ...COMMON_SECURITY_HEADERS, "content-security-policy": DOCS_CSP }) },
      { source: "/api/docs", headers: asList({ ...COMMON_SECURITY_HEADERS, "content-security-policy": DOCS_CSP }) },
      { source: "/_next/static/:path*", headers: asList({ "x-content-type-options": "nosniff" }) },
    ];
  },
};

export default nextConfig;
