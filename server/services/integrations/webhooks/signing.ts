import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { seal, type SealPurpose, unseal } from "@/server/kernel/sealed";

/** Endpoint secrets at rest, sealed with ENCRYPTION_KEY (rule A4). */
const ENDPOINT_SECRET: SealPurpose = { salt: "webhook-endpoint", info: "secret-v1", atRest: true };

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export const sealEndpointSecret = (secret: string) => seal(ENDPOINT_SECRET, secret);
export const openEndpointSecret = (sealed: string) => unseal(ENDPOINT_SECRET, sealed);

/** The Standard Webhooks headers: one `v1,` signature per live secret (two during a rotation's 24 hours). */
export function signedHeaders(input: { messageId: string; timestamp: Date; body: string; secrets: readonly string[] }): Record<string, string> {
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.messageId, input.timestamp, input.body));
  return {
    "content-type": "application/json",
    "user-agent": "ReferralsWebhooks/1",
    "webhook-id": input.messageId,
    "webhook-timestamp": String(Math.floor(input.timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
