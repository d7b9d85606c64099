import { expect, readReferralLink, test } from "../fixtures";

type Settings = { attributionWindowDays: number } & Record<string, unknown>;
const DAY = 24 * 60 * 60;

/**
 * Rule P4: opening a link remembers the code for the clinic's attribution window, on the
 * browser's own clock: the cookie lives exactly that long, whatever the clinic chose.
 */
test("rule P4: the attribution cookie lasts the clinic's window: 30 days by default, 2 when the clinic says 2", async ({ pageAs, newVisitor }) => {
  const harborLink = await readReferralLink(await pageAs("secondPatient"));
  const admin = await pageAs("secondAdmin");
  const saved = await admin.request.get("/api/trpc/clinic.program");
  expect(saved.ok()).toBe(true);
  const original = ((await saved.json()) as { result: { data: { json: Settings } } }).result.data.json;

  async function cookieLifetime(): Promise<number> {
    const visitor = await newVisitor();
    const opened = Math.floor(Date.now() / 1000);
    expect((await visitor.goto(harborLink))?.status()).toBe(200);
    const cookie = (await visitor.context().cookies()).find((c) => c.name === "rf_harbor-physio");
    // The code and when the link was opened, so the window is measured from the opening (rule P4).
    expect(cookie?.value).toMatch(new RegExp(`^${harborLink.split("/r/")[1]}\\.\\d+$`));
    expect(Math.abs(Number(cookie?.value.split(".")[1]) - opened)).toBeLessThan(60);
    return (cookie?.expires ?? 0) - opened;
  }

  const byDefault = await cookieLifetime();
  expect(Math.abs(byDefault - original.attributionWindowDays * DAY)).toBeLessThanOrEqual(5);
  try {
    const changed = await admin.request.post("/api/trpc/clinic.updateProgram", { data: { json: { ...original, attributionWindowDays: 2 } } });
    expect(changed.ok()).toBe(true);
    // The landing may believe its cached settings for up to 5 s; sign-up checks the window in the database.
    await expect.poll(async () => Math.abs((await cookieLifetime()) - 2 * DAY), { timeout: 30_000, intervals: [250] }).toBeLessThanOrEqual(5);
  } finally {
    const restored = await admin.request.post("/api/trpc/clinic.updateProgram", { data: { json: original } });
    expect(restored.ok()).toBe(true);
  }
});
