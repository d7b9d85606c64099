import { expect, fillSignUp, newPerson, readReferralLink, test, signInAfterSignUp } from "../fixtures";

/**
 * Rule P6 as a household sees it: a friend who signs up on the referrer's own network (the
 * same address, as the app sees it behind its proxy) is held for review, and the referrer's
 * portal says so without saying why.
 */
test("rule P6: a friend signing up on the referrer's own network is shown to the referrer as being reviewed", async ({ newVisitor }) => {
  const home = { "x-forwarded-for": `203.0.113.${(Date.now() % 200) + 20}` };
  const referrer = newPerson("Hana");
  const r = await newVisitor({ extraHTTPHeaders: home });
  await r.goto("/signup/maple-street");
  await fillSignUp(r, referrer);
  await r.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(r, referrer.password);
  const link = await readReferralLink(r);

  const friend = newPerson("Ivo");
  const f = await newVisitor({ extraHTTPHeaders: home });
  await f.goto(`${link}?via=copy`);
  await f.getByRole("link", { name: "Accept the invitation and sign up" }).click();
  await fillSignUp(f, friend);
  await f.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(f, friend.password);

  await r.reload();
  const item = r.getByRole("listitem").filter({ hasText: `${friend.firstName} ${friend.lastName[0]}.` });
  await expect(item).toContainText("Being reviewed");
  // The evidence is for staff: the referrer is never told it was their network.
  await expect(item).not.toContainText(/network|address|IP/i);

  // A friend on a network of their own is not held.
  const other = newPerson("Jun");
  const o = await newVisitor();
  await o.goto(`${link}?via=copy`);
  await o.getByRole("link", { name: "Accept the invitation and sign up" }).click();
  await fillSignUp(o, other);
  await o.getByRole("button", { name: "Create account" }).click();
  await signInAfterSignUp(o, other.password);
  await r.reload();
  const unflagged = r.getByRole("listitem").filter({ hasText: `${other.firstName} ${other.lastName[0]}.` });
  await expect(unflagged).toContainText("Signed up");
  await expect(unflagged).not.toContainText("Being reviewed");
});
