import type { CSSProperties } from "react";
import type { BrandPalette } from "@/server/schemas/brand";

/**
 * Issue 13: the app's theme colours (app/globals.css) re-pointed at a clinic's palette for the
 * elements inside, so every `bg-brand-accent`, `text-brand-700` and focus ring there follows it.
 * Each token keeps its contract: 600 is a border or indicator (>= 3:1), 700 and 800 are text
 * (>= 4.5:1, 800 also on 50), the accent carries its own text colour (>= 4.5:1).
 */
export function brandThemeStyle(p: BrandPalette): CSSProperties {
  return {
    "--color-brand-accent": p.accent,
    "--color-brand-on-accent": p.onAccent,
    "--color-brand-accent-hover": p.accentHover,
    "--color-brand-50": p.tint,
    "--color-brand-100": p.tintBorder,
    "--color-brand-600": p.border,
    "--color-brand-700": p.text,
    "--color-brand-800": p.strong,
  } as CSSProperties;
}
