import { afterEach, describe, expect, it, vi } from "vitest";
import { CODE_ALPHABET, CODE_LENGTH, generateCode } from "./codes";

/** Rule P2: codes are unguessable, drawn from a cryptographic source, in an alphabet without look-alikes. */
describe("rule P2: referral codes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("100,000 codes, none repeated, every symbol of the alphabet used about equally", () => {
    const codes = Array.from({ length: 100_000 }, generateCode);
    expect(new Set(codes).size).toBe(100_000);
    expect(codes.filter((code) => code.length !== CODE_LENGTH)).toEqual([]);
    const counts = new Map<string, number>();
    for (const code of codes) for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...CODE_ALPHABET].sort());
    // A uniform draw puts each symbol near 1/23 of the 1,000,000 drawn: within 5% of it.
    const expected = (100_000 * CODE_LENGTH) / CODE_ALPHABET.length;
    for (const [symbol, n] of counts) expect(Math.abs(n - expected) / expected, symbol).toBeLessThan(0.05);
  });

  it("does not come from Math.random: pinned, the codes still never repeat", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const codes = Array.from({ length: 1_000 }, generateCode);
    expect(new Set(codes).size).toBe(1_000);
  });

  it("has at least 40 bits and no look-alike characters", () => {
    expect(CODE_LENGTH * Math.log2(CODE_ALPHABET.length)).toBeGreaterThanOrEqual(40);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    // 0/O, 1/I/l/L, 2/Z, 5/S, 8/B, U/V, and no lower case at all.
    for (const lookAlike of ["0", "O", "1", "I", "l", "L", "2", "Z", "5", "S", "8", "B", "U", "V"]) expect(CODE_ALPHABET, lookAlike).not.toContain(lookAlike);
    expect(CODE_ALPHABET).toMatch(/^[A-Z0-9]+$/);
  });
});
