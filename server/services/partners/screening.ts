import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { b2bCustomers, b2bProspects, type ScreeningFlag } from "@/db/schema";
import type { ServiceContext } from "@/server/kernel/context";
import type { Country } from "@/server/schemas/b2b";
import { emailDomain, type PracticeIdentity } from "./identity";

type Practice = { country: Country; practiceEmail: string; website: string | null; referrerEmail: string };

const valuesOf = (identities: PracticeIdentity[], kind: PracticeIdentity["kind"]) => identities.filter((i) => i.kind === kind).map((i) => i.value);

function matchOn(table: typeof b2bCustomers | typeof b2bProspects, identities: PracticeIdentity[]): SQL | undefined {
  const domains = valuesOf(identities, "domain");
  const phones = valuesOf(identities, "phone");
  return or(
    domains.length ? inArray(table.domain, domains) : undefined,
    phones.length ? inArray(table.phoneE164, phones) : undefined,
    inArray(table.namePostalKey, valuesOf(identities, "name_postal")),
  );
}

function how(row: { domain: string | null; phoneE164: string | null; namePostalKey: string }, identities: PracticeIdentity[]): string {
  if (row.domain && valuesOf(identities, "domain").includes(row.domain)) return `website domain ${row.domain}`;
  if (row.phoneE164 && valuesOf(identities, "phone").includes(row.phoneE164)) return `phone ${row.phoneE164}`;
  return "name and postal code";
}

/**
 * Rule B2: the automatic checks, each with the evidence a reviewer needs. They flag; people decide.
 * ("Already referred" is settled by the identity claim, not here.) Part of the public form's
 * submission, so the database alone.
 */
export async function screenPractice(ctx: Pick<ServiceContext, "db">, input: { practice: Practice; identities: PracticeIdentity[] }): Promise<ScreeningFlag[]> {
  const { practice, identities } = input;
  const tx = ctx.db;
  const flags: ScreeningFlag[] = [];
  const customers = await tx.select().from(b2bCustomers).where(matchOn(b2bCustomers, identities)).limit(5);
  for (const c of customers) {
    flags.push({
      kind: c.status === "active" ? "existing_customer" : "previous_customer",
      evidence: `Matches ${c.status === "active" ? "customer" : "former customer"} "${c.name}" by ${how(c, identities)}.`,
    });
  }
  const prospects = await tx
    .select()
    .from(b2bProspects)
    .where(and(eq(b2bProspects.status, "active"), matchOn(b2bProspects, identities)))
    .limit(5);
  for (const p of prospects) {
    flags.push({ kind: "active_prospect", evidence: `Matches active prospect "${p.name}"${p.owner ? ` (owner ${p.owner})` : ""} by ${how(p, identities)}.` });
  }
  if (practice.country === "OTHER") flags.push({ kind: "out_of_area", evidence: "The practice is outside the United States and Canada." });
  const referrerDomain = emailDomain(practice.referrerEmail);
  if (referrerDomain && valuesOf(identities, "domain").includes(referrerDomain)) {
    flags.push({ kind: "same_email_domain", evidence: `The referrer's email domain ${referrerDomain} is the practice's own.` });
  }
  return flags;
}
