import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createTestDb } from "@/server/testing/db";
import { authorizedAs, callerAs, userByEmail, readerContext } from "@/server/testing/fixtures";
import { openExport } from "@/server/services/insights/exports";
import { signUpInput } from "./account";
import { submitReferralInput, markWonInput } from "./b2b";
import { reasonField } from "./controls";
import { calendarDate } from "./dates";
import { exportInput } from "./exports";
import { auditFilter, ledgerFilter, referralFilter } from "./filters";
import { programSettingsInput } from "./program";
import { multiLine, singleLine } from "./text";

describe("item 11: one policy for control characters, by kind of field", () => {
  const controls = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u2028"];

  it("a single-line field refuses every control character, a line break and a tab included", () => {
    for (const c of [...controls, "\n", "\t", "\r"]) {
      const result = singleLine().safeParse(`Ro${c}bin`);
      expect(result.success, JSON.stringify(c)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/control characters/);
    }
    expect(singleLine().parse("  Zoë O'Brien-Ngữ  ")).toBe("Zoë O'Brien-Ngữ");
  });

  it("multi-line text keeps line breaks and tabs and refuses the rest", () => {
    expect(multiLine().parse("Line one\r\nLine two\n\tindented")).toBe("Line one\r\nLine two\n\tindented");
    for (const c of controls) expect(multiLine().safeParse(`a${c}b`).success, JSON.stringify(c)).toBe(false);
  });

  it("every shared schema applies it: names, emails and codes refuse; reasons and terms keep their lines", () => {
    const signUp = { clinicSlug: "maple-street", firstName: "Robin", lastName: "Fischer", email: "robin@example.com", phone: "", password: "a-good-password-9", referralCode: "" };
    for (const field of ["firstName", "lastName", "email", "phone", "referralCode", "clinicSlug"] as const) {
      const result = signUpInput.safeParse({ ...signUp, [field]: `${signUp[field]}x\u0000` });
      expect(result.success, field).toBe(false);
      expect(result.error?.issues[0]?.path, field).toEqual([field]);
    }
    expect(signUpInput.safeParse({ ...signUp, password: "a-good-pass\u0000word-9" }).success).toBe(false);
    expect(reasonField.parse("Patient called.\nConfirmed by phone.")).toContain("\n");
    expect(reasonField.safeParse("Patient\u0000called").success).toBe(false);
    const partner = submitReferralInput.safeParse({ referrerName: "A\u0000B" });
    expect(partner.error?.issues.find((i) => i.path[0] === "referrerName")?.message).toMatch(/control characters/);
    const terms = programSettingsInput.safeParse({ termsText: "Rule 1\n\nRule 2\u0000" });
    expect(terms.error?.issues.find((i) => i.path[0] === "termsText")?.message).toMatch(/control characters/);
  });
});

describe("item 21: dates are real calendar dates, refused with a message otherwise", () => {
  it("refuses days that are not on the calendar, and years the database cannot hold", () => {
    const date = calendarDate("From");
    for (const [value, message] of [
      ["2025-02-31", /not on the calendar/],
      ["2025-02-29", /not on the calendar/],
      ["2025-04-31", /not on the calendar/],
      ["2025-13-01", /not on the calendar/],
      ["2025-00-10", /not on the calendar/],
      ["0000-01-01", /year between/],
      ["2025-1-5", /YYYY-MM-DD/],
    ] as const) {
      const result = date.safeParse(value);
      expect(result.success, value).toBe(false);
      expect(result.error?.issues).toHaveLength(1);
      expect(result.error?.issues[0]?.message, value).toMatch(message);
    }
    expect(date.parse("2024-02-29")).toBe("2024-02-29");
    expect(markWonInput.shape.launchDate.safeParse("2025-02-31").success).toBe(false);
  });

  it("the shared filters refuse them too, an empty field still meaning any date", () => {
    for (const filter of [referralFilter, ledgerFilter, auditFilter]) {
      expect(filter.safeParse({ from: "2025-02-31" }).error?.issues[0]?.message).toBe("From: that date is not on the calendar. Check the day and the month.");
      expect(filter.safeParse({ to: "0000-01-01" }).success).toBe(false);
      expect(filter.parse({ from: "", to: "" })).toEqual({});
    }
  });
});

describe("item 21 at the boundaries: a bad date answers 400, not a database error", () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let db: Db;
  let staffId: string;
  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    staffId = (await userByEmail(db, "staff@demo.test")).id;
  });
  afterAll(() => handle.drop());

  it("the activity log", async () => {
    for (const from of ["2025-02-31", "0000-01-01"]) {
      const error = await callerAs(db, staffId).activity.list({ from }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
  });

  it("the CSV exports", async () => {
    for (const kind of ["referrals", "ledger"] as const) {
      // As the route reads the query: a filter the schema refuses answers 400, the service is not called.
      const input = exportInput.safeParse({ kind, filter: { to: "0000-01-01" } });
      const result = input.success ? await openExport(readerContext(db, (await authorizedAs(db, staffId, "staff")).clinicId), { ...input.data, role: "staff" }) : { ok: false, status: 400 };
      expect(result).toMatchObject({ ok: false, status: 400 });
    }
  });
});
