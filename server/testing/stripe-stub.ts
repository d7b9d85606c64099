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

/** The secret key a stub accepts unless it is given another. */
export const STUB_SECRET_KEY = "sk_test_local_stub";
/** Stripe prunes an idempotency key once it is 24 hours old; the same key then makes a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** What a route answers. `remember: false`: the request failed validation, so Stripe saves nothing for its key. */
export type StubReply = { status: number; payload: unknown; remember?: false };
/** A route's answer when the stub holds the request: no reply until the caller goes away. */
export const HELD = Symbol("held");
export type StubRequest = { params: Record<string, string>; body: URLSearchParams; query: URLSearchParams; path: string; key: string | null };
type Route = { method: string; pattern: string[]; handle: (request: StubRequest) => StubReply | typeof HELD };
/** A key in flight (`reply` null) or answered; keyed by account and key, as Stripe scopes them. */
type Remembered = { method: string; path: string; params: string; at: number; reply: { status: number; body: string; requestId: string } | null };

const LAST4: Record<string, string> = { pm_card_visa: "4242", pm_card_chargeDeclined: "0002" };

/**
 * A local HTTP server speaking the subset of Stripe's API the app uses (PaymentIntents: create,
 * confirm, retrieve, cancel), so the real `stripe` client can be pointed at it. It is as strict as
 * Stripe where the app's correctness depends on it: the secret key is checked (Bearer or Basic);
 * every POST with an `Idempotency-Key` replays its first answer (status and body, with
 * `Idempotent-Replayed: true`), refuses the key with other parameters or on another endpoint
 * (400 idempotency_error) or while a request with it is still in flight (409), and forgets it
 * after 24 hours on the stub's clock. It can hold its replies, as a slow processor would, while a
 * test kills the caller. More endpoints can be added with `route`, and get the same handling.
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
  private readonly routes: Route[] = [];
  private readonly keys = new Map<string, Remembered>();
  private readonly secretKey: string;
  private readonly now: () => number;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  /** `now`: the stub's clock in milliseconds, so a test can move past the key's 24 hours. */
  constructor(options: { secretKey?: string; now?: () => number } = {}) {
    this.secretKey = options.secretKey ?? STUB_SECRET_KEY;
    this.now = options.now ?? Date.now;
    this.route("POST", "/v1/payment_intents", (r) => this.createIntent(r));
    this.route("GET", "/v1/payment_intents/:id", (r) => this.withIntent(r, (intent) => ok(this.view(intent.id, [...r.query.keys()].some((k) => k.startsWith("expand"))))));
    this.route("POST", "/v1/payment_intents/:id/confirm", (r) => this.withIntent(r, (intent) => this.confirmIntent(intent, r)));
    this.route("POST", "/v1/payment_intents/:id/cancel", (r) => this.withIntent(r, (intent) => this.cancelIntent(intent)));
  }

  /** Adds an endpoint (`:name` matches one path segment). POSTs to it get Stripe's idempotency handling. */
  route(method: "GET" | "POST" | "DELETE", pattern: string, handle: Route["handle"]) {
    this.routes.push({ method, pattern: pattern.split("/"), handle });
  }

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

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stub");
    const body = new URLSearchParams(await readBody(req));
    const method = req.method ?? "GET";
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": headers["request-id"] ?? requestId(), ...headers });
      res.end(payload);
    };
    const refuse = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) => send(status, JSON.stringify({ error }), headers);

    const authProblem = this.authProblem(req.headers.authorization);
    if (authProblem) return refuse(401, { type: "invalid_request_error", message: authProblem });
    const found = this.match(method, url.pathname);
    if (!found) return refuse(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` });

    // Stripe ignores the key on GET and DELETE; the client sends one on every POST.
    const key = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const scope = key === null ? null : `${(req.headers["stripe-account"] as string | undefined) ?? ""}\n${key}`;
    const params = canonical(body);
    if (scope !== null) {
      this.forgetOldKeys();
      const seen = this.keys.get(scope);
      if (seen && !seen.reply) {
        return refuse(409, {
          type: "idempotency_error",
          code: "idempotency_key_in_use",
          message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        });
      }
      if (seen?.reply) {
        if (seen.method !== method || seen.path !== url.pathname) {
          return refuse(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.method} ${seen.path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        if (seen.params !== params) {
          return refuse(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        return send(seen.reply.status, seen.reply.body, { "idempotency-key": key ?? "", "idempotent-replayed": "true", "original-request": seen.reply.requestId });
      }
      this.keys.set(scope, { method, path: url.pathname, params, at: this.now(), reply: null });
    }

    const outcome = found.route.handle({ params: found.params, body, query: url.searchParams, path: url.pathname, key });
    if (outcome === HELD) {
      // Never answered: once its caller is gone, the key is free again, with nothing saved.
      res.once("close", () => {
        if (scope !== null && this.keys.get(scope)?.reply === null) this.keys.delete(scope);
      });
      this.held.push({ path: url.pathname, key });
      for (const wake of this.waiters.splice(0)) wake();
      return;
    }
    const payload = JSON.stringify(outcome.payload);
    const id = requestId();
    if (scope !== null) {
      const entry = this.keys.get(scope);
      if (outcome.remember === false || !entry) this.keys.delete(scope);
      else entry.reply = { status: outcome.status, body: payload, requestId: id };
    }
    return send(outcome.status, payload, { "request-id": id, ...(key ? { "idempotency-key": key } : {}) });
  }

  private authProblem(header: string | undefined): string | null {
    const [scheme, credentials] = (header ?? "").split(" ", 2);
    const given =
      scheme === "Bearer" ? credentials : scheme === "Basic" && credentials ? Buffer.from(credentials, "base64").toString("utf8").split(":")[0] : undefined;
    if (!given) {
      return "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
    }
    if (given !== this.secretKey) return `Invalid API Key provided: ${given.slice(0, 8)}${"*".repeat(Math.max(0, given.length - 12))}${given.slice(-4)}`;
    return null;
  }

  private match(method: string, path: string) {
    const segments = path.split("/");
    for (const route of this.routes) {
      if (route.method !== method || route.pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = route.pattern.every((part, i) => {
        const segment = segments[i] ?? "";
        if (part.startsWith(":")) {
          params[part.slice(1)] = decodeURIComponent(segment);
          return segment !== "";
        }
        return part === segment;
      });
      if (fits) return { route, params };
    }
    return null;
  }

  private forgetOldKeys() {
    const cutoff = this.now() - IDEMPOTENCY_KEY_TTL_MS;
    for (const [scope, entry] of this.keys) if (entry.reply && entry.at <= cutoff) this.keys.delete(scope);
  }

  private createIntent(r: StubRequest): StubReply | typeof HELD {
    const amount = Number(r.body.get("amount"));
    if (!r.body.has("amount")) return invalid("parameter_missing", "amount", "Missing required param: amount.");
    if (!Number.isInteger(amount) || amount < 1) return invalid("parameter_invalid_integer", "amount", "Invalid integer: amount.");
    if (this.holdCreates) return HELD;
    const intent: Intent = {
      id: `pi_${randomBytes(12).toString("hex")}`,
      object: "payment_intent",
      amount,
      currency: r.body.get("currency") ?? "usd",
      status: "requires_payment_method",
      metadata: Object.fromEntries([...r.body.entries()].filter(([k]) => k.startsWith("metadata[")).map(([k, v]) => [k.slice(9, -1), v])),
      last_payment_error: null,
      payment_method: null,
    };
    this.intents.set(intent.id, intent);
    if (r.key) this.byKey.set(r.key, intent.id);
    return ok(this.view(intent.id, false));
  }

  private withIntent(r: StubRequest, then: (intent: Intent) => StubReply | typeof HELD): StubReply | typeof HELD {
    const intent = this.intents.get(r.params.id ?? "");
    if (!intent) return { status: 404, payload: { error: { type: "invalid_request_error", code: "resource_missing", param: "intent", message: `No such payment_intent: '${r.params.id}'` } } };
    return then(intent);
  }

  private confirmIntent(intent: Intent, r: StubRequest): StubReply | typeof HELD {
    if (this.holdConfirms) return HELD;
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") return unexpectedState(intent);
    const method = r.body.get("payment_method") ?? "";
    intent.payment_method = method;
    if (method === "pm_card_chargeDeclined") {
      Object.assign(intent, { status: "requires_payment_method", last_payment_error: { code: "card_declined", message: "Your card was declined." } });
      return {
        status: 402,
        payload: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined.", payment_intent: this.view(intent.id, false) } },
      };
    }
    intent.status = "succeeded";
    return ok(this.view(intent.id, false));
  }

  private cancelIntent(intent: Intent): StubReply {
    if (intent.status === "succeeded" || intent.status === "processing" || intent.status === "canceled") return unexpectedState(intent);
    intent.status = "canceled";
    return ok(this.view(intent.id, false));
  }

  private view(id: string, expand: boolean) {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`no intent ${id}`);
    const method = intent.payment_method;
    return { ...intent, payment_method: expand && method ? { id: method, object: "payment_method", card: { last4: LAST4[method] ?? "0000" } } : method };
  }
}

const ok = (payload: unknown): StubReply => ({ status: 200, payload });
const requestId = () => `req_${randomBytes(7).toString("hex")}`;

function invalid(code: string, param: string, message: string): StubReply {
  return { status: 400, payload: { error: { type: "invalid_request_error", code, param, message } }, remember: false };
}

/** Stripe compares parameters, not bytes: the same pairs in another order are the same request. */
function canonical(body: URLSearchParams): string {
  return JSON.stringify([...body.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1)));
}

function unexpectedState(intent: Intent): StubReply {
  return {
    status: 400,
    payload: {
      error: {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `This PaymentIntent's status is ${intent.status}.`,
        payment_intent: intent,
      },
    },
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
