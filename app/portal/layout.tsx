import { requireActor } from "@/app/_auth/require";
import { brandThemeStyle } from "@/app/_components/brand-theme";
import { SignOutButton } from "@/app/_components/sign-out";
import { serverCaller } from "@/app/_trpc/server";
import { TRPCReactProvider } from "@/app/_trpc/client";
import { brandPalette, DEFAULT_PALETTE } from "@/server/schemas/brand";
import { PortalNav } from "./_components/portal-nav";

async function clinicHeader(): Promise<{ name: string | null; brandColor: string | null }> {
  try {
    const { clinicName, brandColor } = await (await serverCaller()).portal.overview();
    return { name: clinicName, brandColor };
  } catch {
    // The header still works without the name; the page shows the real error.
    return { name: null, brandColor: null };
  }
}

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  await requireActor("patient");
  const { name, brandColor } = await clinicHeader();
  // Issue 13: the clinic's colour, made accessible (rule N5); without one, the product's own look.
  const palette = brandPalette(brandColor);
  const branded = palette !== DEFAULT_PALETTE;
  return (
    <TRPCReactProvider>
      <div style={branded ? brandThemeStyle(palette) : undefined} data-brand={branded ? palette.accent : undefined}>
        <header className="border-b border-slate-200 bg-white">
          {branded && <div aria-hidden="true" className="h-2 bg-brand-accent shadow-[inset_0_-1px_0_var(--color-brand-600)]" />}
          <div className="mx-auto flex max-w-2xl items-center justify-between gap-3 px-4 pt-3">
            <p className="min-w-0">
              <span className="block truncate text-base font-bold text-slate-900">{name ?? "Patient portal"}</span>
              <span className="block text-xs font-medium text-slate-600">{name ? "Patient portal · Referrals" : "Referrals"}</span>
            </p>
            <span className="flex items-center gap-1">
              <a href="/portal/security" className="min-h-11 content-center rounded-lg px-2 text-sm font-medium text-slate-700 underline-offset-4 hover:underline">
                Account
              </a>
              <SignOutButton />
            </span>
          </div>
          <PortalNav />
        </header>
        <main id="main" className="mx-auto flex max-w-2xl flex-col gap-5 px-4 py-6">
          {children}
        </main>
      </div>
    </TRPCReactProvider>
  );
}
