import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The app's instrumentation entry, run as `next start` runs it: register() is awaited, a failure
 * is logged, and the server goes on listening (the timer stands for the listening socket).
 */
const NEXT_START_LIKE = `
const { register } = await import(${JSON.stringify(path.join(ROOT, "instrumentation.ts"))});
try { await register(); } catch (error) { console.error("register failed:", error); }
console.log("listening");
setTimeout(() => process.exit(0), 15000);
`;

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", NEXT_START_LIKE], {
      cwd: ROOT,
      // Only what a bare production host would have: no ENCRYPTION_KEY unless given.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NEXT_RUNTIME: "nodejs", NODE_ENV: "production", IN_PROCESS_WORKERS: "false", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const SECRET = "s".repeat(40);

describe("issue 19 item 12: a production start without its secrets stops", () => {
  it("without ENCRYPTION_KEY on DATABASE_URL it exits non-zero with the clear message, before listening", async () => {
    const { code, stdout, stderr } = await start({ DATABASE_URL, AUTH_SECRET: SECRET });
    expect(code).toBe(1);
    expect(stderr).toContain("ENCRYPTION_KEY is not set");
    expect(stdout).not.toContain("listening");
  });

  it("without AUTH_SECRET it exits non-zero and names AUTH_SECRET", async () => {
    const { code, stderr } = await start({ DATABASE_URL, ENCRYPTION_KEY: SECRET });
    expect(code).toBe(1);
    expect(stderr).toContain("AUTH_SECRET is not set");
  });
});
