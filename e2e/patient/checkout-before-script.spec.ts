import { TEST_CARDS } from "@/server/services/orders/payment-provider";
import { expect, futureExpiry, holdScripts, hydrated, test } from "../fixtures";

/** Item 22 at the portal's checkout: a slow phone's patient keeps what they typed, and can pay before the script runs. */

const payButton = (page: import("@playwright/test").Page) => page.getByRole("button", { name: /^(Pay \$|Place order)/ });

test("checkout: what was typed before the script arrived is still there after it, and pays", async ({ page }) => {
  const scripts = await holdScripts(page);
  await page.goto("/portal/shop", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Dental X-rays, quantity").fill("1");
  await page.getByLabel("Card number").pressSequentially(TEST_CARDS.success);
  await page.getByLabel("Expiry (MM/YY)").pressSequentially(futureExpiry());
  await page.getByLabel("Security code (CVC)").pressSequentially("123");
  scripts.release();
  await hydrated(page.locator("form"));
  await expect(page.getByLabel("Dental X-rays, quantity")).toHaveValue("1");
  await expect(page.getByLabel("Card number")).toHaveValue(TEST_CARDS.success);
  await expect(page.getByLabel("Expiry (MM/YY)")).toHaveValue(futureExpiry());
  await expect(page.getByLabel("Security code (CVC)")).toHaveValue("123");
  // The order summary counts the quantity typed before the script.
  await expect(page.getByRole("listitem").filter({ hasText: "Dental X-rays" }).first()).toBeVisible();
  await payButton(page).click();
  await expect(page.getByRole("status").filter({ hasText: "Payment complete" })).toBeVisible();
});

test("checkout sent before the script runs: a mistake comes back with the choice kept; fixed, it pays", async ({ page }) => {
  await holdScripts(page);
  await page.goto("/portal/shop", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Dental X-rays, quantity").fill("1");
  await page.getByLabel("Card number").fill(TEST_CARDS.success);
  await page.getByLabel("Expiry (MM/YY)").fill("13/99");
  await page.getByLabel("Security code (CVC)").fill("123");
  const sent = page.waitForRequest((request) => request.isNavigationRequest() && request.method() === "POST");
  await payButton(page).click();
  // Card details travel in the body only (rule N3).
  expect(new URL((await sent).url()).search).toBe("");
  await page.waitForLoadState("domcontentloaded");
  await expect(page.getByText("Enter the expiry date as MM/YY.")).toBeVisible();
  await expect(page.getByLabel("Dental X-rays, quantity")).toHaveValue("1");
  await expect(page.getByLabel("Expiry (MM/YY)")).toHaveValue("13/99");
  // Like a password, the card number and code are typed again, never echoed in the page.
  await expect(page.getByLabel("Card number")).toHaveValue("");

  await page.getByLabel("Card number").fill(TEST_CARDS.success);
  await page.getByLabel("Expiry (MM/YY)").fill(futureExpiry());
  await page.getByLabel("Security code (CVC)").fill("123");
  await payButton(page).click();
  await page.waitForLoadState("domcontentloaded");
  await expect(page.getByRole("status").filter({ hasText: "Payment complete" })).toBeVisible();
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.goto("/portal/orders");
  await expect(page.getByRole("main")).toContainText("Dental X-rays");
});
