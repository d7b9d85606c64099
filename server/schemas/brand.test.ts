import { describe, expect, it } from "vitest";
import { brandPalette, contrastRatio, DEFAULT_PALETTE, NON_TEXT_CONTRAST, PAGE_BACKGROUND, relativeLuminance, TEXT_CONTRAST, type BrandPalette } from "./brand";

/** Every pairing a page or an email puts together, measured again from the colours themselves. */
function expectAccessible(p: BrandPalette) {
  expect(contrastRatio(p.onAccent, p.accent)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  expect(contrastRatio(p.onAccent, p.accentHover)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  for (const page of ["#ffffff", PAGE_BACKGROUND]) {
    expect(contrastRatio(p.text, page)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    expect(contrastRatio(p.border, page)).toBeGreaterThanOrEqual(NON_TEXT_CONTRAST);
  }
  expect(contrastRatio(p.strong, p.tint)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  expect(contrastRatio(p.strong, "#ffffff")).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  for (const c of [p.accent, p.onAccent, p.accentHover, p.text, p.border, p.tint, p.tintBorder, p.strong]) expect(c).toMatch(/^#[0-9a-f]{6}$/);
}

describe("issue 13: the brand palette (rule N5)", () => {
  it("measures luminance and contrast by the WCAG 2.1 formula", () => {
    expect(relativeLuminance("#ffffff")).toBe(1);
    expect(relativeLuminance("#000000")).toBe(0);
    expect(contrastRatio("#000000", "#ffffff")).toBe(21);
    expect(contrastRatio("#ffffff", "#000000")).toBe(21);
    expect(contrastRatio("#777777", "#777777")).toBe(1);
    // Known values: #767676 is the lightest grey with 4.5:1 on white; #777777 just misses.
    expect(contrastRatio("#767676", "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(4.5);
    expect(contrastRatio("#0f766e", "#ffffff")).toBeCloseTo(5.47, 2);
  });

  it("no colour, or anything that is not #rrggbb, is the product's default look", () => {
    for (const bad of [null, undefined, "", "teal", "#fff", "#12345", "#1234567", "#gggggg", "0f766e", "#0f766e;}body{x", "url(x)"]) {
      expect(brandPalette(bad)).toBe(DEFAULT_PALETTE);
    }
    expect(DEFAULT_PALETTE).toMatchObject({ accent: "#0f766e", onAccent: "#ffffff", accentHover: "#0d5f59", text: "#0d5f59", tint: "#eef7f6", strong: "#0b4d48" });
    expectAccessible(DEFAULT_PALETTE);
  });

  it("yellow keeps its colour on buttons with dark text, and is darkened where it sits on white", () => {
    const p = brandPalette("#FFFF00");
    expect(p.accent).toBe("#ffff00");
    expect(p.onAccent).toBe("#0f172a");
    expect(p.text).not.toBe("#ffff00");
    expect(p.contrast.textOnPage).toBeGreaterThanOrEqual(4.5);
    // Only as dark as needed: a little less darkening would miss.
    expect(contrastRatio(p.text, PAGE_BACKGROUND)).toBeLessThan(4.8);
    expectAccessible(p);
  });

  it("white and black are accepted and still readable", () => {
    const white = brandPalette("#ffffff");
    expect(white.onAccent).toBe("#0f172a");
    expect(white.border).not.toBe("#ffffff");
    expectAccessible(white);
    const black = brandPalette("#000000");
    expect(black).toMatchObject({ accent: "#000000", onAccent: "#ffffff", text: "#000000", border: "#000000" });
    expectAccessible(black);
  });

  it("mid-grey, where neither white nor near-black reaches 4.5:1, gets black text", () => {
    // #767676 gives white 4.54:1; a shade lighter gives neither white nor slate-900 4.5:1.
    const grey = brandPalette("#7a7a7a");
    expect(contrastRatio("#ffffff", "#7a7a7a")).toBeLessThan(4.5);
    expect(contrastRatio("#0f172a", "#7a7a7a")).toBeLessThan(4.5);
    expect(grey.onAccent).toBe("#000000");
    expectAccessible(grey);
    expect(brandPalette("#767676").onAccent).toBe("#ffffff");
  });

  it("a colour dark enough already is used as it is everywhere", () => {
    const p = brandPalette("#1d4ed8");
    expect(p).toMatchObject({ accent: "#1d4ed8", onAccent: "#ffffff", text: "#1d4ed8", border: "#1d4ed8" });
    expect(p.contrast.onAccent).toBe(6.7);
  });

  it("every colour of a 32,768-colour grid across the cube passes every pairing", () => {
    const steps = [0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255].flatMap((v) => [v, Math.min(255, v + 8)]);
    for (const r of steps)
      for (const g of steps)
        for (const b of steps) {
          const hex = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          const p = brandPalette(hex);
          expect(p.accent).toBe(hex);
          if (
            contrastRatio(p.onAccent, p.accent) < TEXT_CONTRAST ||
            contrastRatio(p.onAccent, p.accentHover) < TEXT_CONTRAST ||
            contrastRatio(p.text, PAGE_BACKGROUND) < TEXT_CONTRAST ||
            contrastRatio(p.border, PAGE_BACKGROUND) < NON_TEXT_CONTRAST ||
            contrastRatio(p.strong, p.tint) < TEXT_CONTRAST
          ) {
            throw new Error(`${hex} fails: ${JSON.stringify(p)}`);
          }
        }
  });
});
