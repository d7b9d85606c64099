import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { DemoBanner } from "@/app/_components/demo-banner";
import { getDb } from "@/server/db";
import { demoBannerShown } from "@/server/demo/banner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Referrals", template: "%s · Referrals" },
  description: "Referral programs for healthcare practices.",
  // Referral links and portal pages are private to the people who have them.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f766e" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of this request's CSP (proxy.ts).
  await connection();
  // Cosmetic: a database that cannot answer just shows no banner; the page says what is wrong.
  const demo = await getDb()
    .then(demoBannerShown)
    .catch(() => false);
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        {demo ? <DemoBanner /> : null}
        {children}
      </body>
    </html>
  );
}
