import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_KEY_TTL_MS, STUB_SECRET_KEY, StripeStub } from "./stripe-stub";

/**
 * Issue 20 item 5: the stand-in is no kinder than Stripe, so the tests that rely on it prove
 * what Stripe would let through. Driven through the real `stripe` client.
 */
let clock = Date.parse("2026-03-01T12:00:00Z");
const stub = new StripeStub({ now: () => clock });
let base: URL;

beforeAll(async () => {
  base = new URL(await stub.start());
});
afterAll(() => stub.stop());

const client = (secretKey = STUB_SECRET_KEY, options: { maxNetworkRetries?: number; timeout?: number } = {}) =>
  new Stripe(secretKey, { host: base.hostname, port: base.port, protocol: "http", telemetry: false, maxNetworkRetries: 0, ...options });
const params = (amount = 1500): Stripe.PaymentIntentCreateParams => ({ amount, currency: "usd", metadata: { order: "o_1" } });
const fresh = () => `key_${Math.random().toString(36).slice(2)}`;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("the stub accepted it");
    },
    (error: unknown) => error,
  );

describe("issue 20 item 5: the Stripe stand-in is as strict as Stripe", () => {
  it("refuses a wrong secret key and a missing one with 401, and accepts the key as Bearer or Basic", async () => {
    const wrong = await failure(client("sk_test_someone_else").paymentIntents.create(params()));
    expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(wrong).toMatchObject({ statusCode: 401, message: expect.stringMatching(/^Invalid API Key provided/) });

    const url = new URL("/v1/payment_intents", base);
    const body = new URLSearchParams({ amount: "1500", currency: "usd" });
    const missing = await fetch(url, { method: "POST", body });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringMatching(/did not provide an API key/) } });
    const basic = await fetch(url, { method: "POST", body, headers: { authorization: `Basic ${Buffer.from(`${STUB_SECRET_KEY}:`).toString("base64")}` } });
    expect(basic.status).toBe(200);
    const badBasic = await fetch(url, { method: "POST", body, headers: { authorization: `Basic ${Buffer.from("sk_test_nope:").toString("base64")}` } });
    expect(badBasic.status).toBe(401);
  });

  it("replays a repeated key's first answer, status and body, marked Idempotent-Replayed, even after the object moved on", async () => {
    const stripe = client();
    const key = fresh();
    const first = await stripe.paymentIntents.create(params(), { idempotencyKey: key });
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    stub.settle(first.id, "succeeded");
    const again = await stripe.paymentIntents.create(params(), { idempotencyKey: key });
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(again.lastResponse.headers["original-request"]).toBe(first.lastResponse.requestId);
    expect({ ...again, lastResponse: null }).toEqual({ ...first, lastResponse: null });
    expect(again.status).toBe("requires_payment_method");
    expect([...stub.intents.values()].filter((i) => i.id === first.id)).toHaveLength(1);

    // An error is replayed too: the decline, not a fresh attempt with the intent as it is now.
    const declining = await stripe.paymentIntents.create(params(), { idempotencyKey: fresh() });
    const confirmKey = fresh();
    const declined = await failure(stripe.paymentIntents.confirm(declining.id, { payment_method: "pm_card_chargeDeclined" }, { idempotencyKey: confirmKey }));
    const replayed = await failure(stripe.paymentIntents.confirm(declining.id, { payment_method: "pm_card_chargeDeclined" }, { idempotencyKey: confirmKey }));
    expect(replayed).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(replayed).toMatchObject({ statusCode: 402, code: "card_declined", headers: { "idempotent-replayed": "true" } });
    const raw = (error: unknown) => {
      const { headers: _headers, requestId: _requestId, ...rest } = (error as Stripe.errors.StripeCardError).raw as Record<string, unknown>;
      return rest;
    };
    expect(raw(replayed)).toEqual(raw(declined));
  });

  it("refuses the key with other parameters, or on another endpoint, with 400 idempotency_error", async () => {
    const stripe = client();
    const key = fresh();
    const intent = await stripe.paymentIntents.create(params(1500), { idempotencyKey: key });
    const otherAmount = await failure(stripe.paymentIntents.create(params(1600), { idempotencyKey: key }));
    expect(otherAmount).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(otherAmount).toMatchObject({ statusCode: 400, type: "StripeIdempotencyError", message: expect.stringMatching(/^Keys for idempotent requests can only be used with the same parameters they were first used with/) });
    const otherEndpoint = await failure(stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: key }));
    expect(otherEndpoint).toMatchObject({ statusCode: 400, type: "StripeIdempotencyError", message: expect.stringMatching(/same endpoint/) });
    expect(stub.intents.get(intent.id)?.status).toBe("requires_payment_method");
    // The same parameters in another order are the same request.
    const reordered = await stripe.paymentIntents.create({ metadata: { order: "o_1" }, currency: "usd", amount: 1500 }, { idempotencyKey: key });
    expect(reordered.id).toBe(intent.id);
  });

  it("answers 409 while a request with the key is in flight, and saves nothing for a request its caller abandoned", async () => {
    const key = fresh();
    stub.holdCreates = true;
    try {
      const start = stub.held.length;
      const slow = failure(client(STUB_SECRET_KEY, { timeout: 1_000 }).paymentIntents.create(params(), { idempotencyKey: key }));
      await stub.heldAtLeast(start + 1);
      const concurrent = await failure(client().paymentIntents.create(params(), { idempotencyKey: key }));
      // The client retries a 409 when it may; without retries left it surfaces as an API error.
      expect(concurrent).toMatchObject({ statusCode: 409, rawType: "idempotency_error", code: "idempotency_key_in_use" });
      expect(await slow).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    } finally {
      stub.holdCreates = false;
    }
    // The held request never ran, so the key makes a new request once its caller is gone.
    await expect.poll(async () => (await client().paymentIntents.create(params(), { idempotencyKey: key })).lastResponse.headers["idempotent-replayed"] ?? "fresh").toBe("fresh");
  });

  it("saves nothing for a request that fails validation", async () => {
    const stripe = client();
    const key = fresh();
    const missing = await failure(stripe.paymentIntents.create({ currency: "usd" } as Stripe.PaymentIntentCreateParams, { idempotencyKey: key }));
    expect(missing).toMatchObject({ statusCode: 400, code: "parameter_missing" });
    const made = await stripe.paymentIntents.create(params(), { idempotencyKey: key });
    expect(made.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("forgets a key after 24 hours on its clock: the same key then makes a new request", async () => {
    const stripe = client();
    const key = fresh();
    const first = await stripe.paymentIntents.create(params(), { idempotencyKey: key });
    clock += IDEMPOTENCY_KEY_TTL_MS - 1;
    expect((await stripe.paymentIntents.create(params(), { idempotencyKey: key })).id).toBe(first.id);
    clock += 1;
    const later = await stripe.paymentIntents.create(params(2500), { idempotencyKey: key });
    expect(later.id).not.toBe(first.id);
    expect(later).toMatchObject({ amount: 2500 });
    expect(later.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
  });
});
