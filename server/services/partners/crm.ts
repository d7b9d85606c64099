import { clockNow } from "@/server/kernel/clock";
import { parse } from "csv-parse/sync";
import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { b2bCustomers, b2bProspects } from "@/db/schema";
import { type PlatformContext, withTransaction } from "@/server/kernel/context";
import { customerInput, phoneE164, prospectInput, websiteDomain } from "@/server/schemas/b2b";
import { DomainError, isUniqueViolation } from "@/server/kernel/errors";
import { namePostalKey } from "./identity";

type CustomerInput = z.infer<typeof customerInput>;
type ProspectInput = z.infer<typeof prospectInput>;

/** The stored, normalized form that screening (rule B2) matches on. */
function identityColumns(input: { name: string; website: string; phone: string; postalCode: string; country: "US" | "CA" | "OTHER" }) {
  const phone = input.phone ? phoneE164(input.phone, input.country) : null;
  if (input.phone && !phone) throw new DomainError("invalid", `"${input.phone}" isn't a valid phone number for ${input.country}.`, "phone");
  return {
    name: input.name,
    domain: input.website ? websiteDomain(input.website) : null,
    phoneE164: phone,
    postalCode: input.postalCode,
    country: input.country,
    namePostalKey: namePostalKey(input.name, input.postalCode, input.country),
  };
}

const customerValues = (i: CustomerInput) => ({
  ...identityColumns(i),
  status: i.status,
  billingCycle: i.billingCycle,
  nextBillingDate: i.nextBillingDate,
  renewalDate: i.renewalDate,
});
const prospectValues = (i: ProspectInput) => ({ ...identityColumns(i), status: i.status, owner: i.owner });

const duplicateName = new DomainError("conflict", "A practice with this name and postal code is already on the list.", "name");

export const listCustomers = (ctx: PlatformContext) => ctx.db.select().from(b2bCustomers).orderBy(asc(b2bCustomers.name));
export const listProspects = (ctx: PlatformContext) => ctx.db.select().from(b2bProspects).orderBy(asc(b2bProspects.name));

export async function saveCustomer(ctx: PlatformContext, input: CustomerInput & { id?: string }) {
  try {
    const values = customerValues(input);
    const [row] = input.id
      ? await ctx.db.update(b2bCustomers).set(values).where(eq(b2bCustomers.id, input.id)).returning()
      : await ctx.db.insert(b2bCustomers).values(values).returning();
    if (!row) throw new DomainError("not_found", "No such customer.");
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName;
    throw error;
  }
}

export async function saveProspect(ctx: PlatformContext, input: ProspectInput & { id?: string }) {
  try {
    const values = prospectValues(input);
    const [row] = input.id
      ? await ctx.db.update(b2bProspects).set(values).where(eq(b2bProspects.id, input.id)).returning()
      : await ctx.db.insert(b2bProspects).values(values).returning();
    if (!row) throw new DomainError("not_found", "No such prospect.");
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName;
    throw error;
  }
}

type RowSchema<T> = { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

/**
 * A CSV with a header row (name, website, phone, postalCode, country, status, ...). Every row
 * is checked first; one bad row imports nothing and says which line and why (rule N4).
 * Rows update the practice with the same name and postal code, so importing twice is safe.
 */
function parseRows<T>(csv: string, schema: RowSchema<T>): T[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new DomainError("invalid", `That file isn't a readable CSV: ${error instanceof Error ? error.message : "parse error"}.`, "csv");
  }
  if (!records.length) throw new DomainError("invalid", "The file has a header but no rows.", "csv");
  if (records.length > 5_000) throw new DomainError("invalid", "Import at most 5,000 rows at a time.", "csv");
  return records.map((record, index) => {
    const clean = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === "" && /Date$/.test(k) ? null : v]));
    const parsed = schema.safeParse(clean);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DomainError("invalid", `Line ${index + 2}, ${String(issue?.path[0] ?? "row")}: ${issue?.message ?? "invalid"}`, "csv");
    }
    return parsed.data;
  });
}

export async function importCustomers(ctx: PlatformContext, input: { csv: string }): Promise<{ imported: number }> {
  const rows = parseRows(input.csv, customerInput);
  await withTransaction(ctx, async ({ db: tx }) => {
    for (const row of rows) {
      const values = customerValues(row);
      await tx.insert(b2bCustomers).values(values).onConflictDoUpdate({ target: b2bCustomers.namePostalKey, set: { ...values, updatedAt: clockNow } });
    }
  });
  return { imported: rows.length };
}

export async function importProspects(ctx: PlatformContext, input: { csv: string }): Promise<{ imported: number }> {
  const rows = parseRows(input.csv, prospectInput);
  await withTransaction(ctx, async ({ db: tx }) => {
    for (const row of rows) {
      const values = prospectValues(row);
      await tx.insert(b2bProspects).values(values).onConflictDoUpdate({ target: b2bProspects.namePostalKey, set: { ...values, updatedAt: clockNow } });
    }
  });
  return { imported: rows.length };
}
