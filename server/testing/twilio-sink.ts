import http from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import { twilioChannel, type SmsChannel } from "@/server/messaging/channels";

export type SentSms = { To: string; Body: string; From: string };

/**
 * Stands in for Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json, 201 with
 * the message), as messages.test.ts does, and gives the app's own Twilio channel pointed at it:
 * Twilio's own client, its requests sent to this local server.
 */
export async function startTwilioSink(): Promise<{ sent: SentSms[]; channel: SmsChannel; close: () => Promise<void> }> {
  const sent: SentSms[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || !/\/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/.test(req.url ?? "")) {
        res.writeHead(404).end();
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body)) as SentSms;
      sent.push(form);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid: `SM${sent.length.toString().padStart(32, "0")}`, status: "queued", to: form.To, from: form.From, body: form.Body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new twilio.RequestClient();
  const request = client.request.bind(client);
  client.request = (opts) => request({ ...opts, uri: opts.uri.replace("https://api.twilio.com", base) });
  const channel = twilioChannel({ accountSid: `AC${"1".repeat(32)}`, authToken: "twilio-test-token", from: "+15550001111", httpClient: client });
  return { sent, channel, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
