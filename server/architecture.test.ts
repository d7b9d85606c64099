import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 21: one home per domain and one way to do each thing, checked on the source itself, so a
 * second door that writes patients, codes or orders by hand fails here before it ships.
 */
const ROOTS = ["server", "app", "db/schema", "scripts"];
const isProduction = (file: string) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith("server/testing/");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.posix.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const production = ROOTS.flatMap(filesUnder).filter(isProduction);
const source = new Map(production.map((file) => [file, readFileSync(file, "utf8")]));

/** Every production file that inserts into `table`, through Drizzle or raw SQL, with how many times. */
function insertersOf(drizzleName: string, sqlName: string): Record<string, number> {
  const found: Record<string, number> = {};
  const patterns = [new RegExp(`\\.insert\\(\\s*(?:schema\\.)?${drizzleName}\\s*\\)`, "g"), new RegExp(`insert\\s+into\\s+"?${sqlName}"?[\\s(]`, "gi")];
  for (const [file, text] of source) {
    const count = patterns.reduce((n, p) => n + (text.match(p)?.length ?? 0), 0);
    if (count) found[file] = count;
  }
  return found;
}

describe("issue 21: one home per domain", () => {
  it("server/services/ holds only domain folders: no loose files", () => {
    const loose = readdirSync("server/services").filter((name) => !statSync(path.posix.join("server/services", name)).isDirectory());
    expect(loose).toEqual([]);
  });

  it("rule P2: exactly one place inserts referral codes, so every door's patient gets one the same way", () => {
    expect(insertersOf("referralCodes", "referral_codes")).toEqual({ "server/services/referrals/codes.ts": 1 });
  });

  it("exactly one place inserts patients; the others that insert users make staff, never patients", () => {
    const inserters = insertersOf("users", "users");
    expect(inserters["server/services/patients/create.ts"]).toBe(1);
    const staffOnly = Object.keys(inserters).filter((file) => file !== "server/services/patients/create.ts");
    expect(staffOnly.sort()).toEqual(["server/demo/seed.ts", "server/services/clinics/invitations.ts", "server/services/clinics/onboarding.ts"]);
    for (const file of staffOnly) {
      // A patient row written here would bypass the code (P2) and the event; the demo's patients go through createPatient too.
      expect(source.get(file), file).not.toMatch(/role:\s*"patient"/);
    }
  });

  it("exactly one place inserts orders: the portal, the desk, REST and payment events share it", () => {
    expect(insertersOf("orders", "orders")).toEqual({ "server/services/orders/record.ts": 1 });
  });
});
