import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

type Intent = {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
  last_payment_error: { code: string; message: string } | null;
  payment_method: string | null;
};

const LAST4: Record<string, string> = { pm_card_visa: "4242", pm_card_chargeDeclined: "0002" };

/**
 * A local HTTP server speaking the subset of Stripe's PaymentIntents API the app uses (create
 * with an Idempotency-Key, confirm, retrieve, cancel), so the real `stripe` client can be pointed
 * at it. It can hold its replies, as a slow processor would, while a test kills the caller.
 */
export class StripeStub {
  readonly intents = new Map<string, Intent>();
  private readonly byKey = new Map<string, string>();
  /** Hold the reply to confirm (the intent stays as it was until the test says otherwise). */
  holdConfirms = false;
  /** Hold create requests without making the intent: the caller dies before it exists. */
  holdCreates = false;
  held: { path: string; key: string | null }[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves once `count` requests are being held. */
  async heldAtLeast(count: number) {
    while (this.held.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  intentFor(key: string): Intent | undefined {
    const id = this.byKey.get(key);
    return id ? this.intents.get(id) : undefined;
  }

  /** What the processor decided meanwhile: the test plays the processor's side. */
  settle(id: string, status: "succeeded" | "processing" | "canceled", paymentMethod = "pm_card_visa") {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`no intent ${id}`);
    Object.assign(intent, { status, payment_method: paymentMethod });
  }

  private hold(path: string, key: string | null) {
    this.held.push({ path, key });
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stub");
    const body = new URLSearchParams(await readBody(req));
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(6).toString("hex")}` });
      res.end(JSON.stringify(payload));
    };
    const [, , resource, id, action] = url.pathname.split("/");
    if (resource !== "payment_intents") return send(404, { error: { type: "invalid_request_error", message: "Unrecognized request URL" } });

    if (req.method === "POST" && !id) {
      if (this.holdCreates) return this.hold(url.pathname, key);
      const existing = key ? this.byKey.get(key) : undefined;
      if (existing) return send(200, this.view(existing, false));
      const intent: Intent = {
        id: `pi_${randomBytes(12).toString("hex")}`,
        object: "payment_intent",
        amount: Number(body.get("amount")),
        currency: body.get("currency") ?? "usd",
        status: "requires_payment_method",
        metadata: Object.fromEntries([...body.entries()].filter(([k]) => k.startsWith("metadata[")).map(([k, v]) => [k.slice(9, -1), v])),
        last_payment_error: null,
        payment_method: null,
      };
      this.intents.set(intent.id, intent);
      if (key) this.byKey.set(key, intent.id);
      return send(200, this.view(intent.id, false));
    }
    const intent = id ? this.intents.get(id) : undefined;
    if (!intent || !id) return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${id}'` } });

    if (req.method === "GET" && !action) return send(200, this.view(id, url.search.includes("expand")));
    if (req.method === "POST" && action === "confirm") {
      if (this.holdConfirms) return this.hold(url.pathname, key);
      if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") return send(400, unexpectedState(intent));
      const method = body.get("payment_method") ?? "";
      intent.payment_method = method;
      if (method === "pm_card_chargeDeclined") {
        Object.assign(intent, { status: "requires_payment_method", last_payment_error: { code: "card_declined", message: "Your card was declined." } });
        return send(402, { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined.", payment_intent: this.view(id, false) } });
      }
      intent.status = "succeeded";
      return send(200, this.view(id, false));
    }
    if (req.method === "POST" && action === "cancel") {
      if (intent.status === "succeeded" || intent.status === "processing" || intent.status === "canceled") return send(400, unexpectedState(intent));
      intent.status = "canceled";
      return send(200, this.view(id, false));
    }
    return send(404, { error: { type: "invalid_request_error", message: "Unrecognized request URL" } });
  }

  private view(id: string, expand: boolean) {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`no intent ${id}`);
    const method = intent.payment_method;
    return { ...intent, payment_method: expand && method ? { id: method, object: "payment_method", card: { last4: LAST4[method] ?? "0000" } } : method };
  }
}

function unexpectedState(intent: Intent) {
  return {
    error: {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `This PaymentIntent's status is ${intent.status}.`,
      payment_intent: intent,
    },
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
