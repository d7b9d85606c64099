import http from "node:http";
import { startSmtpSink } from "@/server/testing/smtp-sink";
import { MAIL_INBOX_PORT, SMTP_PORT } from "./environment";

/**
 * Playwright's global setup: one SMTP sink for the whole run, on the port the app sends to
 * (SMTP_URL), up for as long as the app is. Specs read what it received over HTTP
 * (`mailbox` in e2e/fixtures.ts); each one finds its own mail by its own unique addresses.
 */
export default async function startMailSink() {
  const sink = await startSmtpSink({ port: SMTP_PORT });
  const inbox = http.createServer((_req, res) => {
    const mails = sink.mails.map((m) => ({
      envelopeTo: m.envelopeTo,
      subject: m.subject ?? "",
      text: m.text ?? "",
      html: typeof m.html === "string" ? m.html : "",
      headerLines: m.headerLines,
    }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(mails));
  });
  await new Promise<void>((resolve, reject) => {
    inbox.once("error", reject);
    inbox.listen(MAIL_INBOX_PORT, "127.0.0.1", () => resolve());
  });
  return async () => {
    inbox.closeAllConnections();
    inbox.close();
    // The app, still running, holds pooled connections that would keep the sink open for half a minute.
    await Promise.race([sink.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  };
}
