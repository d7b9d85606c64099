import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { apiKeyActor } from "@/server/events/actor";
import { authenticateApiKey, type ApiKeyRef } from "@/server/services/integrations/api-keys";
import { auditBy } from "@/server/kernel/audit";
import { DomainError } from "@/server/kernel/errors";
import { seal, type SealPurpose, unseal } from "@/server/kernel/sealed";
import { logError } from "@/server/log";
import { isRateLimited, type Problem, problem, problemFromDomain, problemFromZod, problemResponse } from "./problem";
import type { Route } from "./route";
import { ROUTES } from "./routes";

export const API_BASE = "/api/v1";
const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, "Use printable ASCII without spaces.");

type Matched = { route: Route; params: Record<string, string> };

/** A path segment as sent, decoded; null when its percent-encoding is broken (issue 19 item 10). */
function decodeSegment(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function match(method: string, pathname: string): Matched | "method" | "malformed" | null {
  const rest = pathname.startsWith(API_BASE) ? pathname.slice(API_BASE.length) : null;
  if (rest === null) return null;
  const parts = rest.split("/").filter(Boolean);
  let wrongMethod = false;
  let malformed = false;
  for (const route of ROUTES) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((segment, i) => {
      const part = parts[i] ?? "";
      if (segment.startsWith("{")) {
        const decoded = decodeSegment(part);
        if (decoded === null) malformed = true;
        params[segment.slice(1, -1)] = decoded ?? "";
        return decoded !== null;
      }
      return segment === part;
    });
    if (!fits) continue;
    if (route.method === method) return { route, params };
    wrongMethod = true;
  }
  return wrongMethod ? "method" : malformed ? "malformed" : null;
}

/** Canonical JSON: keys sorted, so the same body hashes alike however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const STORED_REPLY: SealPurpose = { salt: "api-idempotency", info: "stored-reply-v1", atRest: true };
const sealedReply = z.object({ sealedReply: z.string() }).strict();

/** What the Idempotency-Key store keeps of an answer: sealed when the route says it holds a secret (issue 19). */
function storedReply(route: Route, answer: unknown): unknown {
  return route.answerHoldsSecret ? { sealedReply: seal(STORED_REPLY, JSON.stringify(answer)) } : answer;
}

/** The answer a replay gives, opened again if it was stored sealed. */
function replayOf(stored: unknown): unknown {
  const sealed = sealedReply.safeParse(stored);
  return sealed.success ? (JSON.parse(unseal(STORED_REPLY, sealed.data.sealedReply)) as unknown) : stored;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });

function bearer(request: Request): string | null {
  const header = request.headers.get("authorization") ?? "";
  const [scheme, token] = header.split(" ");
  return scheme?.toLowerCase() === "bearer" && token ? token.trim() : null;
}

async function readBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; problem: Problem }> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return { ok: false, problem: problem(400, "body-too-large", "The request body is larger than 64 KiB.", { field: "body" }) };
  if (!text.trim()) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: problem(400, "malformed-json", "The request body is not valid JSON.", { field: "body" }) };
  }
}

/**
 * The REST edge: authenticate the key (401), count it against its rate limit (429), check its
 * audience and scope (403), parse with the route's schemas (400), then run the route in one
 * transaction with its Idempotency-Key claimed and the call audited with the key as actor.
 */
export async function handleApiRequest(request: Request, deps: { db: Db; now?: () => Date }): Promise<Response> {
  const url = new URL(request.url);
  const found = match(request.method, url.pathname);
  if (!found) return problemResponse(problem(404, "not-found", "There is no such API route."));
  if (found === "method") return problemResponse(problem(405, "method-not-allowed", "This route does not take that method."));
  if (found === "malformed") return problemResponse(problem(400, "malformed-path", "The path's percent-encoding is not valid.", { field: "path" }));
  const { route, params: rawParams } = found;

  const token = bearer(request);
  let key: ApiKeyRef | null;
  try {
    key = token ? await authenticateApiKey({ db: deps.db }, { token, now: deps.now?.() }) : null;
  } catch (error) {
    if (isRateLimited(error)) {
      return problemResponse(problem(429, "rate-limited", "This API key sent too many requests; wait and retry.", { field: null }), { "retry-after": String(error.retryAfterSeconds) });
    }
    throw error;
  }
  if (!key) {
    return problemResponse(problem(401, "unauthorized", "Send a live API key as `Authorization: Bearer <key>`."), { "www-authenticate": 'Bearer realm="api"' });
  }
  if ((route.audience === "platform") !== (key.clinicId === null)) {
    return problemResponse(problem(403, "wrong-key-kind", route.audience === "platform" ? "This route takes a platform key." : "This route takes a clinic's key."));
  }
  if (route.scope === "write" && key.scope !== "write") {
    return problemResponse(problem(403, "read-only-key", "This key has read scope; this route needs a write key."));
  }

  const idempotencyKey = request.headers.get("idempotency-key");
  if (route.idempotency === "required" && !idempotencyKey) {
    return problemResponse(problem(400, "idempotency-key-required", "This request changes money or creates something: send an Idempotency-Key header.", { field: "Idempotency-Key" }));
  }
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.safeParse(idempotencyKey).success) {
    return problemResponse(problem(400, "validation", "Idempotency-Key: use 1 to 255 printable characters without spaces.", { field: "Idempotency-Key" }));
  }

  const params = (route.params ?? z.object({})).safeParse(rawParams);
  if (!params.success) return problemResponse(problemFromZod(params.error, "path"));
  const query = (route.query ?? z.object({})).safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return problemResponse(problemFromZod(query.error, "query"));
  let rawBody: unknown = {};
  if (route.body) {
    const read = await readBody(request);
    if (!read.ok) return problemResponse(read.problem);
    rawBody = read.value;
  }
  const body = (route.body ?? z.unknown()).safeParse(rawBody);
  if (!body.success) return problemResponse(problemFromZod(body.error, "body"));

  const actor = apiKeyActor(key.id, key.clinicId);
  const operation = `${route.method} ${url.pathname}`;
  const requestHash = createHash("sha256").update(canonical(rawBody)).digest("hex");
  const usedKey = idempotencyKey && route.idempotency !== "none" ? idempotencyKey : null;

  try {
    return await deps.db.transaction(async (tx) => {
      if (usedKey) {
        // Claimed in this transaction: a concurrent duplicate waits here for our commit, then replays it.
        const [claimed] = await tx
          .insert(apiIdempotencyKeys)
          .values({ apiKeyId: key.id, idempotencyKey: usedKey, operation, requestHash, status: 0, response: {} })
          .onConflictDoNothing()
          .returning({ id: apiIdempotencyKeys.id });
        if (!claimed) {
          const [first] = await tx
            .select()
            .from(apiIdempotencyKeys)
            .where(and(eq(apiIdempotencyKeys.apiKeyId, key.id), eq(apiIdempotencyKeys.idempotencyKey, usedKey)));
          if (!first) throw new Error("idempotency key vanished after a conflict");
          if (first.operation !== operation || first.requestHash !== requestHash) {
            return problemResponse(problem(422, "idempotency-key-reused", "This Idempotency-Key was already used with another request; use a new key for a new request.", { field: "Idempotency-Key" }));
          }
          const headers = { "idempotent-replayed": "true" };
          const replay = replayOf(first.response);
          return first.status >= 400 ? problemResponse(replay as Problem, headers) : json(first.status, replay, headers);
        }
      }

      let status: number;
      let answer: unknown;
      let targetId: string | null | undefined;
      try {
        const result = await tx.transaction(async (inner) =>
          route.handler({
            db: inner,
            actor,
            key,
            clinicId: key.clinicId ?? "",
            service: { db: inner, actor, clinicId: key.clinicId ?? "" },
            params: params.data,
            query: query.data,
            body: body.data,
            idempotencyKey: usedKey,
          }),
        );
        answer = route.response.parse(result);
        status = route.status;
        targetId = route.target.id?.(params.data, answer as never);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answer = problemFromDomain(error);
        status = (answer as Problem).status;
        targetId = route.target.id?.(params.data, {} as never);
      }
      await auditBy(tx, actor, {
        clinicId: key.clinicId,
        action: `api.${route.operationId}`,
        targetType: route.target.type,
        targetId: targetId && z.uuid().safeParse(targetId).success ? targetId : null,
        after: { status },
      });
      if (usedKey) {
        await tx
          .update(apiIdempotencyKeys)
          .set({ status, response: storedReply(route, answer) })
          .where(and(eq(apiIdempotencyKeys.apiKeyId, key.id), eq(apiIdempotencyKeys.idempotencyKey, usedKey)));
      }
      return status >= 400 ? problemResponse(answer as Problem) : json(status, answer);
    });
  } catch (error) {
    logError(`api.${route.operationId}`, error);
    return problemResponse(problem(500, "internal", "Something went wrong on our side. Retry with the same Idempotency-Key."));
  }
}

export const handlerFor = (getDb: () => Promise<Db>) => async (request: Request) => handleApiRequest(request, { db: await getDb() });
