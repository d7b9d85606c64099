import { clockNow } from "@/server/kernel/clock";
import { and, count, eq, gt, or, sql } from "drizzle-orm";
import disposableDomains from "disposable-email-domains";
import { deviceSightings, referrals, type ReferralFlag } from "@/db/schema";
import type { ServiceContext } from "@/server/kernel/context";

const DISPOSABLE = new Set<string>(disposableDomains);

/** Keyed hashes of where a request came from; either may be empty when unknown. */
export type Fingerprint = { ipHash: string | null; deviceHash: string | null };

/** Remembers where a patient was seen, for rule P6's same-network and same-device checks. */
export async function recordSighting(ctx: ServiceContext, input: { patientId: string } & Fingerprint): Promise<void> {
  if (!input.ipHash && !input.deviceHash) return;
  await ctx.db
    .insert(deviceSightings)
    .values({ clinicId: ctx.clinicId, patientId: input.patientId, ipHash: input.ipHash ?? "", deviceHash: input.deviceHash ?? "" })
    .onConflictDoUpdate({
      target: [deviceSightings.patientId, deviceSightings.ipHash, deviceSightings.deviceHash],
      set: { seenAt: clockNow },
    });
}

/**
 * Rule P6: signals that make a referral wait for a person. Each carries the evidence staff
 * see in the review queue; none is shown to the patients involved.
 */
export async function fraudSignals(
  ctx: ServiceContext,
  input: { referrerId: string; refereeEmail: string; fingerprint: Fingerprint; velocityLimitPerDay: number },
): Promise<ReferralFlag[]> {
  const tx = ctx.db;
  const flags: ReferralFlag[] = [];
  // The transaction's clock (rule P10 counts the last 24 hours from it).
  const since = sql`${clockNow} - interval '24 hours'`;
  const { ipHash, deviceHash } = input.fingerprint;
  if (ipHash || deviceHash) {
    const matches = await tx
      .select({ ipHash: deviceSightings.ipHash, deviceHash: deviceSightings.deviceHash, seenAt: deviceSightings.seenAt })
      .from(deviceSightings)
      .where(
        and(
          eq(deviceSightings.patientId, input.referrerId),
          gt(deviceSightings.seenAt, since),
          or(ipHash ? eq(deviceSightings.ipHash, ipHash) : undefined, deviceHash ? eq(deviceSightings.deviceHash, deviceHash) : undefined),
        ),
      );
    const sameIp = matches.find((m) => ipHash && m.ipHash === ipHash);
    const sameDevice = matches.find((m) => deviceHash && m.deviceHash === deviceHash);
    if (sameIp) flags.push({ kind: "same_ip", evidence: `Same network as the referrer, seen ${sameIp.seenAt.toISOString()}` });
    if (sameDevice) flags.push({ kind: "same_device", evidence: `Same device as the referrer, seen ${sameDevice.seenAt.toISOString()}` });
  }
  const domain = input.refereeEmail.split("@")[1]?.toLowerCase() ?? "";
  if (DISPOSABLE.has(domain)) flags.push({ kind: "disposable_email", evidence: `Disposable email domain ${domain}` });

  const [recent] = await tx
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.referrerId, input.referrerId), gt(referrals.createdAt, since)));
  const made = (recent?.n ?? 0) + 1;
  if (made > input.velocityLimitPerDay) {
    flags.push({ kind: "velocity", evidence: `${made} referrals by this referrer in 24 hours (review above ${input.velocityLimitPerDay})` });
  }
  return flags;
}
