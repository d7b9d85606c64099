import { expect, test } from "../fixtures";

test("rule A3: a clinic admin finds the failed jobs from the console nav; staff do not", async ({ pageAs }) => {
  const admin = await pageAs("admin");
  await admin.goto("/console");
  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Failed jobs" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Failed jobs" })).toBeVisible();
  await expect(admin.getByRole("main")).toContainText(/No failed jobs|failed job/);

  const staff = await pageAs("staff");
  await staff.goto("/console");
  await expect(staff.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Failed jobs" })).toHaveCount(0);
});

test("rule A3: a platform admin sends a worker check and sees a worker take it", async ({ pageAs }) => {
  const platform = await pageAs("platform");
  await platform.goto("/platform");
  await platform.getByRole("navigation", { name: "Platform" }).getByRole("link", { name: "Jobs" }).click();
  await expect(platform.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  await platform.getByRole("button", { name: "Send a worker check" }).click();
  await expect(platform.getByRole("status").filter({ hasText: "A worker check was sent" })).toBeVisible();
  // The app's own in-process workers take it at their next poll.
  await expect
    .poll(async () => {
      await platform.reload();
      return platform.getByRole("main").textContent();
    })
    .toContain("was taken by a worker");
  await expect(platform.getByRole("heading", { level: 2, name: "Failed jobs" })).toBeVisible();
});
