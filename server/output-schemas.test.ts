import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "./root";

/**
 * Item 13 of issue 7: every procedure declares what it returns, so a row never leaks a column
 * (an ip hash, a password hash) the page does not need. Output schemas strip unknown keys; one
 * that lets anything through (`any`, `unknown`, a loose or passthrough object) declares nothing.
 */
type Procedure = { _def: { output?: unknown } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures);

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def | null => {
  const zod = (schema as { _zod?: { def?: Def } } | null)?._zod;
  return zod?.def ?? null;
};

/** The paths inside a schema that accept anything, as "path: why". */
export function looseParts(schema: unknown, path = "output", seen = new Set<unknown>()): string[] {
  const def = defOf(schema);
  if (!def) return [`${path}: not a zod schema`];
  if (seen.has(schema)) return [];
  seen.add(schema);
  const inner = (child: unknown, suffix: string) => looseParts(child, `${path}${suffix}`, seen);
  switch (def.type) {
    case "any":
    case "unknown":
    case "custom":
      return [`${path}: ${def.type}`];
    case "object": {
      const catchall = defOf(def.catchall);
      const own = catchall && catchall.type !== "never" ? [`${path}: passes unknown keys through (${catchall.type})`] : [];
      const shape = def.shape as Record<string, unknown>;
      return [...own, ...Object.entries(shape).flatMap(([key, child]) => inner(child, `.${key}`))];
    }
    case "array":
      return inner(def.element, "[]");
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return inner(def.innerType, "");
    case "union":
      return (def.options as unknown[]).flatMap((option, i) => inner(option, `|${i}`));
    case "intersection":
      return [...inner(def.left, "&l"), ...inner(def.right, "&r")];
    case "record":
      return [...inner(def.keyType, "{key}"), ...inner(def.valueType, "{value}")];
    case "tuple":
      return [...(def.items as unknown[]).flatMap((item, i) => inner(item, `[${i}]`)), ...(def.rest ? inner(def.rest, "[...]") : [])];
    case "pipe":
      return inner(def.out, "");
    case "lazy":
      return inner((def.getter as () => unknown)(), "");
    default:
      return [];
  }
}

describe("item 13 of issue 7: output schemas", () => {
  it("the check itself catches what lets anything through", () => {
    expect(looseParts(z.any())).toEqual(["output: any"]);
    expect(looseParts(z.object({ a: z.string() }).passthrough())).toEqual(["output: passes unknown keys through (unknown)"]);
    expect(looseParts(z.looseObject({ a: z.string() }))).toEqual(["output: passes unknown keys through (unknown)"]);
    expect(looseParts(z.array(z.object({ rows: z.record(z.string(), z.unknown()) })).nullable())).toEqual(["output[].rows{value}: unknown"]);
    expect(looseParts(z.object({ a: z.union([z.string(), z.custom<string>()]) }))).toEqual(["output.a|1: custom"]);
    expect(looseParts(z.strictObject({ a: z.date(), b: z.enum(["x"]).optional() }))).toEqual([]);
  });

  it("every procedure declares an output that names what it returns", () => {
    expect(procedures.length).toBeGreaterThan(60);
    const problems = procedures.flatMap(([path, procedure]) => (procedure._def.output ? looseParts(procedure._def.output, path) : [`${path}: no output schema`]));
    expect(problems).toEqual([]);
  });
});
