import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { DomainError } from "@/server/kernel/errors";

/**
 * Rule A4's SSRF guard. An endpoint URL is resolved once; every address it resolves to must be a
 * public unicast address (not loopback, private, link-local, CGNAT, metadata, multicast or
 * reserved), unless its host is on WEBHOOK_ALLOW_HOSTS. The request then connects to the address
 * that was checked, with the URL's host kept for the Host header and TLS SNI, so a name that
 * resolves differently a moment later (DNS rebinding) cannot redirect it.
 */
export type CheckedTarget = { url: URL; host: string; address: string; family: 4 | 6 };

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const RESOLVE_TIMEOUT_MS = 5_000;
const systemResolver: Resolver = (host) =>
  Promise.race([
    lookup(host, { all: true, verbatim: true }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the name did not resolve in time")), RESOLVE_TIMEOUT_MS).unref()),
  ]);

export class RefusedTarget extends DomainError {
  constructor(message: string) {
    super("invalid", message, "url");
  }
}

/** Only public unicast addresses; IPv4-mapped IPv6 is judged as the IPv4 address it carries. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, "").toLowerCase();

export function parseEndpointUrl(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTarget("Enter the endpoint's full address, starting with https://.");
  }
  const allowed = allowHosts.includes(bare(url.hostname));
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowed)) throw new RefusedTarget("The endpoint's address must start with https://.");
  if (url.username || url.password) throw new RefusedTarget("Put no user name or password in the endpoint's address; we sign every delivery instead.");
  return url;
}

/** Checks the URL at registration and before every send; answers the address to connect to. */
export async function checkTarget(raw: string, allowHosts: readonly string[], resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  const url = parseEndpointUrl(raw, allowHosts);
  const host = bare(url.hostname);
  const allowed = allowHosts.includes(host);
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RefusedTarget("The endpoint's host name does not resolve.");
    }
  }
  if (!addresses.length) throw new RefusedTarget("The endpoint's host name does not resolve.");
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) {
    throw new RefusedTarget("The endpoint's address is on a private, loopback, link-local or otherwise internal network, which webhooks may not reach.");
  }
  const [first] = addresses;
  if (!first) throw new RefusedTarget("The endpoint's host name does not resolve.");
  return { url, host, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export type PostResult = { statusCode: number | null; latencyMs: number; excerpt: string | null; error: string | null };

const EXCERPT_CHARS = 500;
const MAX_READ_BYTES = 64 * 1024;

/**
 * POSTs to the checked address only; never follows a redirect (a 3xx is an answer like any
 * other, which the caller counts as a failure). Gives up after `timeoutMs` in all.
 */
export function postPinned(target: CheckedTarget, body: string, headers: Record<string, string>, options: { timeoutMs: number }): Promise<PostResult> {
  const started = performance.now();
  const pinned: LookupFunction = (_host, opts, callback) => {
    if (opts.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
    };
    const request = client.request(
      {
        method: "POST",
        protocol: target.url.protocol,
        hostname: target.host,
        port: target.url.port || undefined,
        path: `${target.url.pathname}${target.url.search}`,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        servername: ipaddr.isValid(target.host) ? undefined : target.host,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_CHARS);
          finish({ statusCode: response.statusCode ?? null, excerpt, error: null });
          response.destroy();
        };
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read <= MAX_READ_BYTES) chunks.push(chunk);
          else done();
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, excerpt: null, error: `no answer within ${Math.round(options.timeoutMs / 1000)} s` });
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => finish({ statusCode: null, excerpt: null, error: error.code ? `connection failed (${error.code})` : "connection failed" }));
    request.end(body);
  });
}
