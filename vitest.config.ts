import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Server components guard against client imports with this package; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "server/testing/empty.ts"),
    },
  },
  test: {
    include: ["server/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["server/testing/global-setup.ts"],
    // next-auth imports "next/server" without an extension, which Node's ESM loader refuses; Vite resolves it.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two workers keep this 2-core machine responsive.
    maxWorkers: 2,
  },
});
