import { connectPostgres } from "@/db/client";
import type { CardInput } from "@/server/schemas/orders";
import { patientActor } from "@/server/events/actor";
import { checkout } from "@/server/services/orders/orders";
import { StripePaymentProvider } from "@/server/services/orders/stripe-provider";

/**
 * A server process in miniature for the crash test (order-payments-crash.test.ts): it runs the
 * checkouts it is given, concurrently, with the Stripe provider, until it is killed.
 * CHECKOUTS is JSON: [{ clinicId, patientId, serviceId, idempotencyKey }].
 */
type Job = { clinicId: string; patientId: string; serviceId: string; idempotencyKey: string };
const jobs = JSON.parse(process.env.CHECKOUTS ?? "[]") as Job[];
const url = process.env.DATABASE_URL;
const secretKey = process.env.STRIPE_SECRET_KEY;
if (!url || !secretKey) throw new Error("DATABASE_URL and STRIPE_SECRET_KEY are needed");
const handle = await connectPostgres(url);
const payments = new StripePaymentProvider({ secretKey, apiBase: process.env.STRIPE_API_BASE });
const card: CardInput = { number: "4242424242424242", expiry: "12/39", cvc: "123" };
const results = await Promise.allSettled(
  jobs.map((job) =>
    checkout({ db: handle.db, actor: patientActor(job.patientId, job.clinicId), clinicId: job.clinicId }, payments, {
      patientId: job.patientId,
      idempotencyKey: job.idempotencyKey,
      items: [{ serviceId: job.serviceId, quantity: 1 }],
      card,
    }),
  ),
);
console.log(JSON.stringify(results.map((r) => r.status)));
await handle.close();
