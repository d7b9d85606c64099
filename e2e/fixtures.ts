import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";
import { TEST_CARDS } from "@/server/services/orders/payment-provider";
import { MAIL_INBOX_PORT } from "./environment";

export { expect };

export const DEMO_PASSWORD = "demo-password-1";

/** The seeded accounts each audience signs in as (db/seed.ts); their sessions are saved by auth.setup.ts. */
export const ACCOUNTS = {
  patient: "patient@demo.test",
  staff: "staff@demo.test",
  admin: "admin@demo.test",
  secondAdmin: "admin@second.test",
  secondPatient: "patient@second.test",
  platform: "platform@demo.test",
} as const;
export type Account = keyof typeof ACCOUNTS;

export const storageStatePath = (account: Account) => `e2e/.auth/${account}.json`;

const NO_SESSION = { cookies: [], origins: [] };

/** Letters only, different each run and each call, so names and emails never collide with earlier runs. */
function uniqueTag(): string {
  const n = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return n.toString(26).replace(/[0-9]/g, (d) => "qrstuvwxyz"[Number(d)] ?? "q");
}

export type Person = { firstName: string; lastName: string; email: string; password: string; fullName: string };

/** A new patient nobody has seen before: unique email and first name per run. */
export function newPerson(first = "Bea"): Person {
  const tag = uniqueTag();
  const firstName = `${first}-${tag}`;
  const lastName = "Visitor";
  return { firstName, lastName, fullName: `${firstName} ${lastName}`, email: `e2e-${tag}@e2e.test`, password: `Fresh-pass-${tag}-9` };
}

/**
 * Waits until React has hydrated the element, so a click or typing reaches the component
 * and not the bare server HTML (a submit before hydration would be a plain GET).
 */
export async function hydrated(locator: Locator): Promise<Locator> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps$"))), {
      message: "the element should be hydrated by React",
    })
    .toBe(true);
  return locator;
}

/**
 * Holds back every script of the app's pages until `release` is called: what a slow phone
 * sees, the server's HTML with nothing hydrated. Navigate with `waitUntil: "domcontentloaded"`,
 * since the load event waits for the held scripts.
 */
export async function holdScripts(page: Page): Promise<{ release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await released;
    await route.continue();
  });
  return { release };
}

/** Signs in through the real form and waits for the role's home page. */
export async function signInThroughForm(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  // No wait for the script: the form works the same before and after it (issue 7 item 22).
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/(portal|console|platform)$/);
}

/** Rule P14: the portal shows the link once the current terms are accepted; accepts them when asked. */
export async function acceptTermsIfAsked(page: Page): Promise<void> {
  const link = page.getByTestId("referral-link");
  const accept = page.getByRole("button", { name: "Accept and show my link" });
  await expect(link.or(accept)).toBeVisible();
  if (await accept.isVisible()) {
    await (await hydrated(accept)).click();
    await expect(link).toBeVisible();
  }
}

/** The patient's full referral link as the portal shows it (rule P3). */
export async function readReferralLink(page: Page): Promise<string> {
  await page.goto("/portal");
  await acceptTermsIfAsked(page);
  const text = (await page.getByTestId("referral-link").textContent())?.trim() ?? "";
  expect(text).toMatch(/^http:\/\/[^/]+\/r\/[A-Z0-9]{10}$/);
  return text;
}

/** "$1,050.50" -> 105050: the balance as the page shows it, back to cents. */
export function centsFromText(text: string | null): number {
  const match = /^-?\$([\d,]+)(?:\.(\d{2}))?$/.exec((text ?? "").trim());
  if (!match?.[1]) throw new Error(`not an amount: ${text}`);
  return Number(match[1].replace(/,/g, "")) * 100 + Number(match[2] ?? 0);
}

export async function balanceCents(page: Page): Promise<number> {
  const balance = page.getByTestId("credit-balance");
  await expect(balance).toBeVisible();
  return centsFromText(await balance.textContent());
}

/** Fills the sign-up form, script or not; the referral code field is left as the page prefilled it. */
export async function fillSignUp(page: Page, person: Person, overrides: Partial<Pick<Person, "email" | "password">> = {}) {
  await page.getByLabel("First name").fill(person.firstName);
  await page.getByLabel("Last name").fill(person.lastName);
  await page.getByLabel("Email", { exact: true }).fill(overrides.email ?? person.email);
  await page.getByLabel("Password", { exact: true }).fill(overrides.password ?? person.password);
}

/**
 * Rule N6: a sign-up signs nobody in; it lands on the clinic's sign-in page, with the same words
 * whether or not the email had an account there, the address filled in. The person signs in.
 */
export async function signInAfterSignUp(page: Page, password: string, clinicSlug = "maple-street"): Promise<void> {
  await page.waitForURL(new RegExp(`/signin/${clinicSlug}\\?welcome=1$`), { waitUntil: "domcontentloaded" });
  await expect(page.getByText("Thanks for signing up. We've sent a message to your email address.")).toBeVisible();
  await expect(page.getByLabel("Email")).not.toHaveValue("");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/portal$/, { waitUntil: "domcontentloaded" });
}

/** A card that expires next year: always in the future. */
export function futureExpiry(): string {
  return `12/${String((new Date().getFullYear() + 1) % 100).padStart(2, "0")}`;
}

/** Pays for one of `service` in the portal shop with the test card; returns the payment's status region. */
export async function payForService(page: Page, service: string, expectedCharge: string): Promise<Locator> {
  await page.goto("/portal/shop");
  const add = page.getByRole("button", { name: `Add one ${service}` });
  await hydrated(add);
  await add.click();
  await page.getByLabel("Card number").fill(TEST_CARDS.success);
  await page.getByLabel("Expiry (MM/YY)").fill(futureExpiry());
  await page.getByLabel("Security code (CVC)").fill("123");
  // The label waits for the balance, so the amount is what the patient really pays.
  const pay = page.getByRole("button", { name: `Pay ${expectedCharge}` });
  await pay.click();
  const result = page.getByRole("status").filter({ hasText: "Payment complete" });
  await expect(result).toBeVisible();
  return result;
}

/** The path of the first link in a mail's text part matching `pattern` (links carry APP_URL, not this server's address). */
export function linkIn(text: string | false | undefined, pattern: RegExp): string {
  const match = pattern.exec(text || "");
  if (!match) throw new Error(`no link like ${pattern} in the mail`);
  return new URL(match[0]).pathname;
}

/** A mail as the run's SMTP sink received it (e2e/mail-sink.ts). */
export type Mail = { envelopeTo: string[]; subject: string; text: string; html: string; headerLines: { key: string; line: string }[] };

/**
 * What the app sent, read from the run's one SMTP sink: up from before the first spec to after
 * the last, so no mail goes to a closed port between specs. Match on the spec's own addresses.
 */
export const mailbox = {
  async all(): Promise<Mail[]> {
    const response = await fetch(`http://127.0.0.1:${MAIL_INBOX_PORT}/`);
    if (!response.ok) throw new Error(`the mail sink answered ${response.status}`);
    return (await response.json()) as Mail[];
  },
  /** The first mail matching `match`, waiting up to `ms` for it to arrive. */
  async waitFor(match: (mail: Mail) => boolean, ms = 20_000): Promise<Mail> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = (await mailbox.all()).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error("no such mail arrived in time");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  },
};

/** The value beside a `<dt>` label in a description list. */
export function definition(scope: Locator, term: string): Locator {
  return scope.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
}


let visitors = 0;
/**
 * Every browser here shares 127.0.0.1; a friend's phone is on a network of its own, or the
 * same-network fraud signal (rule P6) would rightly hold every referral for review. A test
 * about one network passes its own `x-forwarded-for` (e2e/public/same-network.spec.ts).
 * Addresses come from IPv6's documentation range, one per context for the whole run: the worker's
 * process id and a counter, so neither a long run nor a restarted worker hands one out twice.
 */
const hex = (n: number) => (n & 0xffff).toString(16);
const ownNetwork = () => ({ "x-forwarded-for": `2001:db8:${hex(process.pid >>> 16)}:${hex(process.pid)}::${hex(++visitors)}` });

type Fixtures = {
  /** A page in a brand-new browser context: no session, no cookies (a friend's phone). */
  newVisitor: (options?: BrowserContextOptions) => Promise<Page>;
  /** A page signed in as one of the seeded accounts, in its own context. */
  pageAs: (account: Account) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  newVisitor: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (options = {}) => {
      const context = await browser.newContext({ extraHTTPHeaders: ownNetwork(), ...options, storageState: NO_SESSION });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
  pageAs: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (account) => {
      const context = await browser.newContext({ extraHTTPHeaders: ownNetwork(), storageState: storageStatePath(account) });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});
