import type { NextConfig } from "next";
import { COMMON_SECURITY_HEADERS, NON_PAGE_CSP } from "./server/http/security-headers";

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
      { source: "/api/:path*", headers: asList({ ...COMMON_SECURITY_HEADERS, "content-security-policy": NON_PAGE_CSP }) },
      { source: "/_next/static/:path*", headers: asList({ "x-content-type-options": "nosniff" }) },
    ];
  },
};

export default nextConfig;
