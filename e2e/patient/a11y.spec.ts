import { expectAccessible, visitAccessible } from "../axe";
import { acceptTermsIfAsked, expect, hydrated, test } from "../fixtures";

/** Rule N5: every portal page a patient opens has no serious or critical WCAG 2.1 A/AA violation. */

const PAGES = ["/portal", "/portal/shop", "/portal/credits", "/portal/orders", "/portal/security"];

for (const path of PAGES) {
  test(`rule N5: ${path}`, async ({ page }) => {
    if (path === "/portal") {
      await page.goto(path);
      await acceptTermsIfAsked(page);
    }
    await visitAccessible(page, path);
  });
}

test("rule N5: the checkout after a mistake", async ({ page }) => {
  await page.goto("/portal/shop");
  const add = page.getByRole("button", { name: /^Add one / }).first();
  await (await hydrated(add)).click();
  await page.getByLabel("Card number").fill("4242");
  await page.getByLabel("Expiry (MM/YY)").fill("13/99");
  await page.getByRole("button", { name: /^(Pay \$|Place order)/ }).click();
  await expect(page.getByText("Enter the expiry date as MM/YY.")).toBeVisible();
  await expectAccessible(page, "/portal/shop with mistakes");
});
