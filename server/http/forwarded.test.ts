import { describe, expect, it } from "vitest";
import { clientIp, isHttps, withoutForwardedHeaders } from "./forwarded";

const http = new URL("http://app.internal/console");

describe("TRUSTED_PROXY_HOPS: which forwarded headers are believed (issue 7 item 19)", () => {
  it("with one proxy (the default) takes its right-most X-Forwarded-For entry, never what the client put before it", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), 1)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }), 1)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientIp(new Headers(), 1)).toBeNull();
  });

  it("with two proxies takes the entry the outer one added", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" }), 2)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }), 2)).toBe("203.0.113.9");
  });

  it("with no proxy ignores every forwarded header", () => {
    const spoofed = new Headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9", "x-forwarded-proto": "https" });
    expect(clientIp(spoofed, 0)).toBeNull();
    expect(isHttps(http, spoofed, 0)).toBe(false);
  });

  it("counts a connection as https when the URL is, or when a trusted proxy says so", () => {
    expect(isHttps(new URL("https://clinic.example/"), new Headers(), 0)).toBe(true);
    expect(isHttps(http, new Headers({ "x-forwarded-proto": "https" }), 1)).toBe(true);
    expect(isHttps(http, new Headers({ "x-forwarded-proto": "HTTPS" }), 1)).toBe(true);
    expect(isHttps(http, new Headers({ "x-forwarded-proto": "http" }), 1)).toBe(false);
    // A client claiming https in front of a proxy that appended what it really saw.
    expect(isHttps(http, new Headers({ "x-forwarded-proto": "https, http" }), 1)).toBe(false);
    expect(isHttps(http, new Headers(), 1)).toBe(false);
  });

  it("strips forwarded headers for libraries that would believe them", () => {
    const request = new Request("http://app.internal/api/auth/session", { headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", cookie: "a=b" } });
    const bare = withoutForwardedHeaders(request);
    expect(bare.headers.get("x-forwarded-host")).toBeNull();
    expect(bare.headers.get("x-forwarded-proto")).toBeNull();
    expect(bare.headers.get("cookie")).toBe("a=b");
  });
});
