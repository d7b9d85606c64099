import { and, desc, eq, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { referrals, rewards, users } from "@/db/schema";
import { firstNameLastInitial } from "@/server/kernel/contact";
import type { ServiceContext } from "@/server/kernel/context";

const referrer = alias(users, "referrer");
const referee = alias(users, "referee");

/** What a patient earned and the referrals they are part of, for the manual controls (rule C4). */
export async function patientRewards(ctx: ServiceContext, input: { patientId: string }) {
  const { db, clinicId } = ctx;
  const [earned, linked] = await Promise.all([
    db
      .select({
        id: rewards.id,
        referralId: rewards.referralId,
        side: rewards.side,
        kind: rewards.kind,
        amount: rewards.amount,
        status: rewards.status,
        statusReason: rewards.statusReason,
        createdAt: rewards.createdAt,
      })
      .from(rewards)
      .where(and(eq(rewards.clinicId, clinicId), eq(rewards.patientId, input.patientId)))
      .orderBy(desc(rewards.createdAt))
      .limit(100),
    db
      .select({
        id: referrals.id,
        status: referrals.status,
        referrerId: referrals.referrerId,
        referrer: { firstName: referrer.firstName, lastName: referrer.lastName },
        referee: { firstName: referee.firstName, lastName: referee.lastName },
        createdAt: referrals.createdAt,
      })
      .from(referrals)
      .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
      .innerJoin(referee, eq(referee.id, referrals.refereeId))
      .where(and(eq(referrals.clinicId, clinicId), or(eq(referrals.referrerId, input.patientId), eq(referrals.refereeId, input.patientId))))
      .orderBy(desc(referrals.createdAt))
      .limit(100),
  ]);
  return {
    rewards: earned,
    referrals: linked.map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: r.createdAt,
      description:
        r.referrerId === input.patientId
          ? `Referred ${firstNameLastInitial(r.referee.firstName, r.referee.lastName)}`
          : `Referred by ${firstNameLastInitial(r.referrer.firstName, r.referrer.lastName)}`,
    })),
  };
}
