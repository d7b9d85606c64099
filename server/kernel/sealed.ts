import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret, encryptionKey } from "@/server/env";

/** HKDF's salt and info: one key per use, derived from the app secret; a value sealed for one use opens for no other. */
export type SealPurpose = {
  salt: string;
  info: string;
  /** Stored integration secrets (webhooks, providers) are sealed with ENCRYPTION_KEY rather than the session secret. */
  atRest?: boolean;
};
const keyFor = (purpose: SealPurpose) => Buffer.from(hkdfSync("sha256", purpose.atRest ? encryptionKey() : authSecret(), purpose.salt, purpose.info, 32));

/** AES-256-GCM: whoever reads the table sees nothing usable, and a changed value fails to open. */
export function seal(purpose: SealPurpose, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  const sealed = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

export function unseal(purpose: SealPurpose, sealed: string): string {
  const [version, iv = "", tag = "", data = ""] = sealed.split(".");
  if (version !== "v1") throw new Error(`unknown sealed value version ${version}`);
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
