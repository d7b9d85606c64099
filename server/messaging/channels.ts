import { IncomingWebhook, type FetchFunction } from "@slack/webhook";
import nodemailer from "nodemailer";
import twilio from "twilio";

/** What leaves through SMTP: both parts, and the headers the message needs (List-Unsubscribe). */
export type OutgoingEmail = { to: string; subject: string; text: string; html: string | null; headers: Record<string, string> };

export interface EmailChannel {
  send(email: OutgoingEmail): Promise<{ providerId: string | null }>;
  close(): void;
}

/** A provider that sends a text message; `to` is E.164 ("+15551234567"). */
export interface SmsChannel {
  send(sms: { to: string; body: string }): Promise<{ providerId: string | null }>;
}

export interface SlackChannel {
  send(webhookUrl: string, text: string): Promise<void>;
}

export type MessageChannels = { email: EmailChannel | null; sms: SmsChannel | null; slack: SlackChannel };

/**
 * A permanent refusal of the recipient (SMTP 5xx on RCPT, 550-553): the address is suppressed
 * for the clinic instead of retried. Anything else (a refused connection, a 4xx) is retried.
 */
export class PermanentRecipientError extends Error {
  override name = "PermanentRecipientError";
}

/** SMTP over nodemailer; one pooled transport per process. Plain smtp:// is allowed (a local relay). */
export function smtpChannel(url: string, from: string, options: { maxConnections?: number } = {}): EmailChannel {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: options.maxConnections ?? 5, maxMessages: Infinity, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, disableFileAccess: true, disableUrlAccess: true } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(email) {
      try {
        const info = await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text, html: email.html ?? undefined, headers: email.headers });
        if (info.rejected.length) throw new PermanentRecipientError("the server refused the recipient");
        return { providerId: info.messageId ?? null };
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === "number" && code >= 550 && code <= 553) throw new PermanentRecipientError(`SMTP ${code}`);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}

type TwilioOptions = { accountSid: string; authToken: string; from: string; httpClient?: InstanceType<typeof twilio.RequestClient> };

/** Twilio's Messages API. Tests and local relays pass their own HTTP client (twilio's RequestClient). */
export function twilioChannel(options: TwilioOptions): SmsChannel {
  const client = twilio(options.accountSid, options.authToken, options.httpClient ? { httpClient: options.httpClient } : {});
  return {
    async send(sms) {
      try {
        const message = await client.messages.create({ to: sms.to, from: options.from, body: sms.body });
        return { providerId: message.sid };
      } catch (error) {
        // 21211 invalid number, 21610 the number replied STOP at Twilio: permanent.
        const code = (error as { code?: unknown }).code;
        if (code === 21211 || code === 21610 || code === 21614) throw new PermanentRecipientError(`Twilio ${String(code)}`);
        throw error;
      }
    },
  };
}

export const SLACK_WEBHOOK_PREFIX = "https://hooks.slack.com/";

/** Only Slack's own incoming-webhook host: a pasted URL must not make the server call anywhere else. */
export function isSlackWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.host === "hooks.slack.com" && u.pathname.startsWith("/services/") && url.startsWith(SLACK_WEBHOOK_PREFIX);
  } catch {
    return false;
  }
}

export function slackChannel(options: { fetch?: FetchFunction } = {}): SlackChannel {
  return {
    async send(webhookUrl, text) {
      if (!isSlackWebhookUrl(webhookUrl)) throw new Error("not a Slack incoming-webhook URL");
      await new IncomingWebhook(webhookUrl, { fetch: options.fetch, timeout: 10_000 }).send({ text, unfurl_links: false });
    },
  };
}

let warned = false;
type ChannelEnv = { NODE_ENV: string; SMTP_URL?: string; SMTP_FROM?: string; TWILIO_ACCOUNT_SID?: string; TWILIO_AUTH_TOKEN?: string; TWILIO_FROM?: string };

const emailConfigured = (env: ChannelEnv) => !!(env.SMTP_URL && env.SMTP_FROM);
const smsConfigured = (env: ChannelEnv) => !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM);

/** A production start without SMTP or Twilio says so once: those messages are kept and shown, not sent. */
export function warnIfNoChannels(env: ChannelEnv): void {
  if (env.NODE_ENV !== "production" || warned || (emailConfigured(env) && smsConfigured(env))) return;
  warned = true;
  const missing = [!emailConfigured(env) && "email (SMTP_URL and SMTP_FROM)", !smsConfigured(env) && "SMS (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM)"].filter(Boolean).join(" and ");
  console.warn(JSON.stringify({ level: "warn", time: new Date().toISOString(), scope: "messages", message: `no ${missing} channel is configured: those messages are kept and shown in the message log, not sent` }));
}

/** The channels the environment configures; without SMTP or Twilio, messages are kept and shown only. */
export function channelsFromEnv(env: ChannelEnv): MessageChannels {
  warnIfNoChannels(env);
  const email = emailConfigured(env) && env.SMTP_URL && env.SMTP_FROM ? smtpChannel(env.SMTP_URL, env.SMTP_FROM) : null;
  const sms =
    smsConfigured(env) && env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
      ? twilioChannel({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM })
      : null;
  return { email, sms, slack: slackChannel() };
}
