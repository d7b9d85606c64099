import { brandThemeStyle } from "@/app/_components/brand-theme";
import { brandPalette, DEFAULT_PALETTE } from "@/server/schemas/brand";
import { logoPath } from "@/server/services/clinics/profile";

/**
 * Issue 13: a clinic's own sign-up and sign-in pages wear its logo and colour, as its landing
 * and portal do, so the patient who followed a friend's link stays in the same place. The
 * palette keeps every text and button at WCAG AA (server/schemas/brand.ts).
 */
export function ClinicBrand({ clinic, children }: { clinic: { name: string; brandColor: string | null; logoId: string | null }; children: React.ReactNode }) {
  const palette = brandPalette(clinic.brandColor);
  const branded = palette !== DEFAULT_PALETTE;
  return (
    <div className="flex flex-col gap-6" style={branded ? brandThemeStyle(palette) : undefined} data-brand={branded ? palette.accent : undefined}>
      {clinic.logoId && (
        // eslint-disable-next-line @next/next/no-img-element -- a small immutable logo from our own route; no optimiser needed
        <img src={logoPath(clinic.logoId)} alt={`${clinic.name} logo`} className="h-12 w-auto self-start" />
      )}
      {children}
    </div>
  );
}
