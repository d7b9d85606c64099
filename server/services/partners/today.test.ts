import { describe, expect, it } from "vitest";
import { today } from "./lifecycle";

describe("the platform's today (rule B4's dates)", () => {
  it("is the date where the platform is, not UTC's", () => {
    const lateEveningInNewYork = new Date("2026-12-01T01:30:00Z");
    expect(today(lateEveningInNewYork, "America/New_York")).toBe("2026-11-30");
    expect(today(lateEveningInNewYork, "Europe/Berlin")).toBe("2026-12-01");
  });
});
