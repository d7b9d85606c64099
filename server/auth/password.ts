import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

// Argon2id (the package's default algorithm) at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export type PasswordCheck = { ok: boolean; needsRehash: boolean };

/** Checks a password against an argon2id hash, or a legacy bcrypt one; either may ask for a rehash. */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith("$2")) return { ok: await bcrypt.compare(password, stored), needsRehash: true };
  const ok = await verify(stored, password).catch(() => false);
  return { ok, needsRehash: ok && !stored.startsWith(CURRENT_PREFIX) };
}

let dummy: Promise<string> | undefined;

/**
 * The same work as checking a real account's password, for an email nobody has: the answer's
 * timing must not tell which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  await verify(await dummy, password).catch(() => false);
  return false;
}
