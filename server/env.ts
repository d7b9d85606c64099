import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_TIME_ZONE, timeZoneName } from "./schemas/time-zone";

const schema = z.object({
  DATABASE_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Embedded PGlite data directory, used when DATABASE_URL is not set.
  PGLITE_DIR: z.string().default(".data/pglite"),
  // Links in messages (status links, rule B5) start with this.
  APP_URL: z.url().default("http://localhost:3000"),
  // Proxies in front of the app that set X-Forwarded-For/-Proto (item 19): 0 believes no forwarded header.
  TRUSTED_PROXY_HOPS: z.coerce.number().int("TRUSTED_PROXY_HOPS must be a whole number").min(0).max(10).default(1),
  // Card payments go to Stripe when set; otherwise to the built-in test processor.
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  // The app works its job queues in its own process unless told not to (then `npm run worker` must).
  IN_PROCESS_WORKERS: z.enum(["true", "false"], "IN_PROCESS_WORKERS is true or false").default("true"),
  // Another address for the Stripe API (a local server that speaks it); default api.stripe.com.
  STRIPE_API_BASE: z.url().optional(),
  // Rule A6: the zone of the platform's daily and monthly runs (an IANA name).
  PLATFORM_TIME_ZONE: timeZoneName.default(DEFAULT_TIME_ZONE),
  // Encrypts webhook secrets and provider signing secrets at rest (rule A4); required in production.
  ENCRYPTION_KEY: z.string().min(32, "ENCRYPTION_KEY must be at least 32 characters").optional(),
  // Hosts that outgoing webhooks may reach although they resolve to private addresses (comma-separated; development and tests).
  WEBHOOK_ALLOW_HOSTS: z.string().default(""),
  // Email leaves through this SMTP server (smtp://user:pass@host:port or smtps://); unset, messages are kept and shown only.
  SMTP_URL: z.url().refine((u) => /^smtps?:\/\//.test(u), "SMTP_URL starts with smtp:// or smtps://").optional(),
  SMTP_FROM: z.string().min(3).optional(),
  // SMS leaves through Twilio when all three are set.
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
});

/** A start-up problem the operator must fix; its message names settings only, never data, so logs keep it. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

function parseEnv() {
  const parsed = schema.safeParse(process.env);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(`Check the environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
}

export const env = parseEnv();

let cachedSecret: string | undefined;
let cachedEncryptionKey: string | undefined;

/**
 * The secret that signs sessions and salts IP hashes. On the embedded database the app keeps
 * its own under .data/ so a fresh machine needs no env file; a production server must be given one.
 */
export function authSecret(): string {
  if (cachedSecret) return cachedSecret;
  if (env.AUTH_SECRET) return (cachedSecret = env.AUTH_SECRET);
  if (env.DATABASE_URL && env.NODE_ENV === "production") {
    throw new ConfigurationError(
      "AUTH_SECRET is not set. A production server on DATABASE_URL needs a secret shared by every instance: " +
        "set AUTH_SECRET to at least 32 random characters (for example `openssl rand -base64 32`).",
    );
  }
  return (cachedSecret = keptSecret("auth-secret"));
}

/**
 * The key that encrypts stored webhook and provider signing secrets (rule A4). Like AUTH_SECRET,
 * the embedded default keeps its own under .data/; a production server must be given one.
 */
export function encryptionKey(): string {
  if (cachedEncryptionKey) return cachedEncryptionKey;
  if (env.ENCRYPTION_KEY) return (cachedEncryptionKey = env.ENCRYPTION_KEY);
  if (env.DATABASE_URL && env.NODE_ENV === "production") {
    throw new ConfigurationError(
      "ENCRYPTION_KEY is not set. A production server on DATABASE_URL needs a key shared by every instance to read stored webhook secrets: " +
        "set ENCRYPTION_KEY to at least 32 random characters (for example `openssl rand -base64 32`).",
    );
  }
  return (cachedEncryptionKey = keptSecret("encryption-key"));
}

/** A random secret made once and kept under .data/, shared by every process on this machine. */
function keptSecret(name: string): string {
  const file = path.join(process.cwd(), ".data", name);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32).toString("base64url");
    // "wx" loses gracefully to another process that wrote it first.
    try {
      fs.writeFileSync(file, fresh, { flag: "wx", mode: 0o600 });
    } catch {}
    return fs.readFileSync(file, "utf8").trim();
  }
}

/** Hosts outgoing webhooks may reach whatever they resolve to (rule A4's SSRF guard), lower-cased. */
export function webhookAllowHosts(): readonly string[] {
  return env.WEBHOOK_ALLOW_HOSTS.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
}
