import { ACCOUNTS, expect, signInThroughForm, storageStatePath, test as setup, type Account } from "./fixtures";

// One saved session per audience (dub style): each signs in once through the real /signin page.
for (const account of Object.keys(ACCOUNTS) as Account[]) {
  setup(`sign in as ${account}`, async ({ page }) => {
    await signInThroughForm(page, ACCOUNTS[account]);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.context().storageState({ path: storageStatePath(account) });
  });
}
