import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

/**
 * A local HTTP receiver for outgoing webhooks: records every request, answers with the status
 * the test sets (or hangs, for a timeout), on 127.0.0.1 and a free port.
 */
export async function startReceiver() {
  const received: Received[] = [];
  let answer: { status: number; body?: string; headers?: Record<string, string> } | "hang" = { status: 200, body: "ok" };
  const waiters: (() => void)[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      for (const wake of waiters.splice(0)) wake();
      if (answer === "hang") return;
      response.writeHead(answer.status, answer.headers ?? { "content-type": "text/plain" });
      response.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    received,
    answerWith(next: typeof answer) {
      answer = next;
    },
    /** Resolves once `count` requests have arrived, or rejects after `ms`. */
    async waitFor(count: number, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
