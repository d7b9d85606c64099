import { type AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SinkMail = ParsedMail & { envelopeTo: string[] };

/**
 * A real SMTP server on 127.0.0.1 for tests and the benchmark: it parses every message it
 * accepts. `refuse` answers RCPT with 550 for those addresses (a hard bounce); `down()` makes
 * it refuse connections until `up()`.
 */
export async function startSmtpSink(options: { refuse?: (address: string) => boolean; parse?: boolean; port?: number } = {}) {
  const mails: SinkMail[] = [];
  let accepting = true;
  let count = 0;
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      callback(accepting ? undefined : Object.assign(new Error("down"), { responseCode: 421 }));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) return callback(Object.assign(new Error("No such user"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const to = (session.envelope.rcptTo ?? []).map((r) => r.address);
      if (options.parse === false) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          mails.push({ envelopeTo: to, text: raw } as SinkMail);
          count++;
          waiters.splice(0).forEach((w) => w());
          callback();
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(Object.assign(mail, { envelopeTo: to }));
          count++;
          waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A client killed mid-conversation resets its connection; a real server carries on (unheard, it would crash the test run).
  server.on("error", () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    count: () => count,
    down: () => {
      accepting = false;
    },
    up: () => {
      accepting = true;
    },
    /** Resolves once a mail matching `match` arrived, or rejects after `ms`. */
    async waitFor(match: (mail: SinkMail) => boolean, ms = 20_000): Promise<SinkMail> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = mails.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no such mail arrived in time");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
