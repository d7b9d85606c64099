/**
 * Issue 13: the clinic's brand colour turned into the few colours a page or an email needs, each
 * reaching WCAG 2.1 AA against what it sits on (rule N5). Pure and client-safe: the landing, the
 * portal, emails and the profile form's preview all read the same palette.
 */

export type BrandPalette = {
  /** Background of buttons and header bands: the clinic's colour as it is. */
  accent: string;
  /** Text on `accent`: white or near-black, >= 4.5:1. */
  onAccent: string;
  /** A button's hover background, still >= 4.5:1 with `onAccent`. */
  accentHover: string;
  /** Links and small text on the pages' light backgrounds, >= 4.5:1. */
  text: string;
  /** Borders, focus rings and indicators on the pages' light backgrounds, >= 3:1. */
  border: string;
  /** A light wash of the colour behind text. */
  tint: string;
  tintBorder: string;
  /** Text on `tint`, >= 4.5:1. */
  strong: string;
  /** The contrasts the preview shows, to two decimals. */
  contrast: { onAccent: number; textOnPage: number; borderOnPage: number; strongOnTint: number };
};

/**
 * The darkest light background text and borders sit on: the pages' slate-50 (white is lighter,
 * so whatever reaches a ratio here reaches it on white too).
 */
export const PAGE_BACKGROUND = "#f8fafc";

export const TEXT_CONTRAST = 4.5;
export const NON_TEXT_CONTRAST = 3;

const WHITE = "#ffffff";
const NEAR_BLACK = "#0f172a";
const BLACK = "#000000";
const HEX = /^#[0-9a-f]{6}$/;

type Rgb = [number, number, number];

const rgbOf = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hexOf = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** WCAG 2.1 relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` moved toward `toward` by `share` (0..1), in sRGB: each channel moves the same way, so luminance does too. */
function mix(color: string, toward: string, share: number): string {
  const a = rgbOf(color);
  const b = rgbOf(toward);
  return hexOf(a.map((c, i) => c + ((b[i] ?? 0) - c) * share) as Rgb);
}

/** The least darkening of `color` (in 1% steps) that reaches `ratio` against `background`; black always does on a light one. */
function darkenUntil(color: string, background: string, ratio: number): string {
  for (let step = 0; step <= 100; step++) {
    const candidate = mix(color, BLACK, step / 100);
    if (contrastRatio(candidate, background) >= ratio) return candidate;
  }
  return BLACK;
}

const round2 = (n: number) => Math.floor(n * 100) / 100;

function withContrast(p: Omit<BrandPalette, "contrast">): BrandPalette {
  return {
    ...p,
    contrast: {
      onAccent: round2(contrastRatio(p.onAccent, p.accent)),
      textOnPage: round2(contrastRatio(p.text, PAGE_BACKGROUND)),
      borderOnPage: round2(contrastRatio(p.border, PAGE_BACKGROUND)),
      strongOnTint: round2(contrastRatio(p.strong, p.tint)),
    },
  };
}

/** The product's own look (the teal of app/globals.css), for a clinic without a colour. */
export const DEFAULT_PALETTE: BrandPalette = withContrast({
  accent: "#0f766e",
  onAccent: WHITE,
  accentHover: "#0d5f59",
  text: "#0d5f59",
  border: "#0f766e",
  tint: "#eef7f6",
  tintBorder: "#d5ece9",
  strong: "#0b4d48",
});

/** A stored `#rrggbb` colour if it is one, lower-cased; anything else is no colour. */
export function brandColorOf(value: string | null | undefined): string | null {
  const color = value?.trim().toLowerCase() ?? "";
  return HEX.test(color) ? color : null;
}

/**
 * The palette of a clinic's colour. Any `#rrggbb` works: text on the accent is white when that
 * reaches 4.5:1, else near-black, else black (which always does when white does not: past
 * luminance 0.183 black gives at least 4.67:1); colours on the light page are darkened only as far as needed.
 * Null or anything that is not `#rrggbb` gives the product's default look.
 */
export function brandPalette(value: string | null | undefined): BrandPalette {
  const accent = brandColorOf(value);
  if (!accent) return DEFAULT_PALETTE;
  const onAccent = [WHITE, NEAR_BLACK].find((c) => contrastRatio(c, accent) >= TEXT_CONTRAST) ?? BLACK;
  // Away from the text colour: darker under white text, lighter under dark text, so the contrast only grows.
  const accentHover = mix(accent, onAccent === WHITE ? BLACK : WHITE, 0.15);
  const tint = mix(accent, WHITE, 0.92);
  return withContrast({
    accent,
    onAccent,
    accentHover,
    text: darkenUntil(accent, PAGE_BACKGROUND, TEXT_CONTRAST),
    border: darkenUntil(accent, PAGE_BACKGROUND, NON_TEXT_CONTRAST),
    tint,
    tintBorder: mix(accent, WHITE, 0.8),
    strong: darkenUntil(accent, tint, TEXT_CONTRAST),
  });
}
