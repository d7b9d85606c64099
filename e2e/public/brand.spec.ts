import type { Locator, Page } from "@playwright/test";
import { contrastRatio, PAGE_BACKGROUND } from "@/server/schemas/brand";
import { expect, hydrated, readReferralLink, test } from "../fixtures";

// Issue 13, rule N5: a clinic's colour that is too light for white text or for links on the page.
const YELLOW = "#ffd500";

const hexOf = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return `#${[r, g, b].map((c) => (c ?? 0).toString(16).padStart(2, "0")).join("")}`;
};
const colours = (locator: Locator) =>
  locator.evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });

async function setBrandColour(admin: Page, value: string) {
  await admin.goto("/console/settings/profile");
  const field = await hydrated(admin.getByLabel("Brand colour (optional)"));
  await field.fill(value);
  await admin.getByRole("button", { name: "Save profile" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
}

test("issue 13: a light brand colour is accepted, previewed with its contrast, and the landing, sign-up and portal wearing it stay readable and keyboard-usable", async ({ pageAs, newVisitor }) => {
  const admin = await pageAs("admin");
  try {
    await setBrandColour(admin, YELLOW);
    // The preview says what text goes on the colour and how far each pairing reaches.
    const preview = admin.getByRole("region", { name: `Preview of ${YELLOW}` });
    await expect(preview).toContainText(/Dark on the colour, \d+\.\d\d:1 \(needs 4\.5:1\)/);
    await expect(preview).toContainText("use a darker shade of your colour");

    const link = await readReferralLink(await pageAs("patient"));
    const visitor = await newVisitor();
    const violations: string[] = [];
    visitor.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const button = visitor.getByRole("link", { name: "Accept the invitation and sign up" });
    // The landing's cache believes an answer for at most 5 s.
    await expect
      .poll(async () => {
        await visitor.goto(`${link}?via=copy`);
        return hexOf((await colours(button)).background);
      }, { timeout: 15_000 })
      .toBe(YELLOW);
    // The brand stylesheet applied under the script-free CSP, and nothing was blocked.
    expect(violations).toEqual([]);

    const onButton = await colours(button);
    expect(contrastRatio(hexOf(onButton.color), YELLOW)).toBeGreaterThanOrEqual(4.5);
    const body = hexOf((await colours(visitor.locator("body"))).background);
    expect(body).toBe(PAGE_BACKGROUND);
    for (const text of [visitor.getByText("How the program works"), visitor.getByRole("link", { name: "Sign in" }), visitor.locator(".eyebrow")]) {
      expect(contrastRatio(hexOf((await colours(text)).color), body)).toBeGreaterThanOrEqual(4.5);
    }
    // The band is decoration: hidden from assistive technology, in the clinic's own colour.
    const band = visitor.locator(".band");
    await expect(band).toHaveAttribute("aria-hidden", "true");
    expect(hexOf((await colours(band)).background)).toBe(YELLOW);

    // By keyboard: the button is reached by Tab and its focus ring stands out from the page (3:1).
    for (let i = 0; i < 3 && !(await button.evaluate((el) => el === document.activeElement)); i++) await visitor.keyboard.press("Tab");
    await expect(button).toBeFocused();
    const ring = await button.evaluate((el) => getComputedStyle(el).outlineColor);
    expect(contrastRatio(hexOf(ring), body)).toBeGreaterThanOrEqual(3);
    await expect(visitor.getByRole("main")).toBeVisible();

    // The sign-up page the button leads to wears it too, its button readable.
    await button.click();
    await visitor.waitForURL(/\/signup\/maple-street$/);
    await expect(visitor.locator("[data-brand]")).toHaveAttribute("data-brand", YELLOW);
    const create = visitor.getByRole("button", { name: "Create account" });
    const onCreate = await colours(create);
    expect(hexOf(onCreate.background)).toBe(YELLOW);
    expect(contrastRatio(hexOf(onCreate.color), YELLOW)).toBeGreaterThanOrEqual(4.5);
    const signIn = visitor.getByRole("main").getByRole("link", { name: "Sign in" });
    expect(contrastRatio(hexOf((await colours(signIn)).color), body)).toBeGreaterThanOrEqual(4.5);

    // The portal: its primary actions wear the colour with readable text; links stay readable.
    const patient = await pageAs("patient");
    await patient.goto("/portal");
    await expect(patient.locator("[data-brand]")).toHaveAttribute("data-brand", YELLOW);
    const copy = await hydrated(patient.getByRole("button", { name: /Copy/ }).first());
    const onCopy = await colours(copy);
    expect(hexOf(onCopy.background)).toBe(YELLOW);
    expect(contrastRatio(hexOf(onCopy.color), YELLOW)).toBeGreaterThanOrEqual(4.5);
    const learnMore = patient.getByRole("link", { name: "Learn more about the program" });
    expect(contrastRatio(hexOf((await colours(learnMore)).color), "#ffffff")).toBeGreaterThanOrEqual(4.5);
    // The link itself sits on a wash of the colour, in a darker shade of it.
    const shown = await colours(patient.getByTestId("referral-link"));
    expect(contrastRatio(hexOf(shown.color), hexOf(shown.background))).toBeGreaterThanOrEqual(4.5);
  } finally {
    // The other specs see the product's own look again.
    await setBrandColour(admin, "");
  }
});
