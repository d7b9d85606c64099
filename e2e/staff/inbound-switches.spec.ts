import { randomBytes, randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import Stripe from "stripe";
import { expect, hydrated, test } from "../fixtures";

// Issue 19 item 4: an admin switches a Stripe receiving address off and on, rotates its secret to
// one pasted from Stripe, and deletes it, with the keyboard; the address answers accordingly.

const newSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

/** One signed Stripe event posted to the address; answers the HTTP status. */
async function post(request: APIRequestContext, path: string, secret: string): Promise<number> {
  const body = JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, "")}`, object: "event", type: "customer.created", data: { object: { id: "cus_e2e" } } });
  const response = await request.post(path, { data: body, headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) } });
  return response.status();
}

test("issue 19: a receiving address is paused, resumed, rotated to a pasted secret and deleted from the console", async ({ pageAs }) => {
  const admin = await pageAs("admin");
  await admin.goto("/console/settings/webhooks");
  const provider = await hydrated(admin.getByLabel("Provider"));
  // Typeform intake is the platform's: a clinic is not offered it.
  await expect(provider.locator("option")).toHaveText([/^Stripe/, /^Calendly/]);

  const first = newSecret();
  await admin.getByLabel("Signing secret (optional)").fill(first);
  await admin.getByRole("button", { name: "Create receiving address" }).press("Enter");
  const created = admin.getByRole("status").filter({ hasText: "Paste this address" });
  const url = ((await created.locator("code").first().textContent()) ?? "").trim();
  const path = new URL(url).pathname;
  expect(path).toMatch(/^\/api\/webhooks\/stripe\/[0-9a-f-]{36}$/);
  expect(await post(admin.request, path, first)).toBe(200);

  const item = admin.getByRole("listitem").filter({ hasText: url });
  await item.getByRole("button", { name: "Pause" }).press("Enter");
  await expect(item.getByText("paused", { exact: true })).toBeVisible();
  expect(await post(admin.request, path, first)).toBe(404);
  await item.getByRole("button", { name: "Resume" }).press("Enter");
  await expect(item.getByText("receiving", { exact: true })).toBeVisible();
  expect(await post(admin.request, path, first)).toBe(200);

  // Rotation to the secret Stripe shows after rolling it there; the old one still works for a day.
  const rotate = item.getByRole("button", { name: "Rotate secret" });
  await rotate.press("Enter");
  await expect(rotate).toHaveAttribute("aria-expanded", "true");
  const pasted = newSecret();
  await item.getByLabel("New signing secret (optional)").fill(pasted);
  await item.getByLabel("New signing secret (optional)").press("Enter");
  await expect(item.getByRole("status")).toContainText(pasted);
  expect(await post(admin.request, path, pasted)).toBe(200);
  expect(await post(admin.request, path, first)).toBe(200);
  expect(await post(admin.request, path, newSecret())).toBe(400);

  // Delete asks first, with the focus on the confirmation.
  await item.getByRole("button", { name: "Delete" }).press("Enter");
  const confirm = item.getByRole("button", { name: "Yes, delete it" });
  await expect(confirm).toBeFocused();
  await admin.keyboard.press("Enter");
  await expect(admin.getByRole("listitem").filter({ hasText: url })).toHaveCount(0);
  expect(await post(admin.request, path, pasted)).toBe(404);
});
