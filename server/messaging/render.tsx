import { Body, Button, Container, Head, Hr, Html, Link, Preview, render, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { type BrandPalette, brandPalette, DEFAULT_PALETTE } from "@/server/schemas/brand";

/** Where the unsubscribe link goes; it is made at delivery from the message's clinic, kind and address. */
export const UNSUBSCRIBE_PLACEHOLDER = "{{unsubscribe_link}}";

export type Rendered = { subject: string; text: string; html: string };
type Segment = { kind: "text"; value: string } | { kind: "link"; href: string };

const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;
const isLink = (name: string) => name.endsWith("_link");

/** Names a template uses, so an edited template can be refused when it names an unknown one. */
export function variablesOf(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((m) => m[1] ?? "");
}

/**
 * One pass over the template: a value is never read as a template again, so a first name like
 * "{{reset_link}}" stays text. Values reach the HTML through React, which escapes them (rule C3).
 */
function segments(paragraph: string, vars: Record<string, string> | null): Segment[] {
  if (!vars) return literalSegments(paragraph);
  const out: Segment[] = [];
  let last = 0;
  for (const match of paragraph.matchAll(VARIABLE)) {
    const name = match[1] ?? "";
    if (match.index > last) out.push({ kind: "text", value: paragraph.slice(last, match.index) });
    const value = vars[name] ?? "";
    if (value) out.push(isLink(name) ? { kind: "link", href: value } : { kind: "text", value });
    last = match.index + match[0].length;
  }
  if (last < paragraph.length) out.push({ kind: "text", value: paragraph.slice(last) });
  return out;
}

// A message written as finished text (the partner program's): its addresses and private-link places become links.
const LITERAL_LINK = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]|\{\{(?:private|unsubscribe)_link\}\})/g;
function literalSegments(paragraph: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of paragraph.matchAll(LITERAL_LINK)) {
    if (match.index > last) out.push({ kind: "text", value: paragraph.slice(last, match.index) });
    out.push({ kind: "link", href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < paragraph.length) out.push({ kind: "text", value: paragraph.slice(last) });
  return out;
}

const paragraphsOf = (body: string, vars: Record<string, string> | null) =>
  body
    .split(/\n\s*\n/)
    .map((p) => segments(p.trim(), vars))
    .filter((p) => p.some((s) => (s.kind === "text" ? s.value.trim() : s.href)));

/** A subject is one line of text: variables filled in, line breaks folded. */
export function renderSubject(subject: string, vars: Record<string, string>): string {
  return subject.replace(VARIABLE, (_, name: string) => vars[name] ?? "").replace(/\s+/g, " ").trim().slice(0, 200);
}

/** An SMS is plain text; links are written out. */
export function renderSms(template: string, vars: Record<string, string>): string {
  return template.replace(VARIABLE, (_, name: string) => vars[name] ?? "").replace(/\s+/g, " ").trim();
}

const standaloneLink = (segs: Segment[]): string | null => (segs.length === 1 && segs[0]?.kind === "link" ? segs[0].href : null);

/**
 * With a clinic's colour (issue 13) the email has a header band in it and a link standing on its
 * own line is a button; every pairing is the palette's, so it reaches 4.5:1 (rule N5). Without
 * one the email keeps the product's plain look.
 */
function Email({ preview, clinicName, paragraphs, unsubscribe, brand }: { preview: string; clinicName: string; paragraphs: Segment[][]; unsubscribe: boolean; brand: BrandPalette | null }) {
  const linkColor = brand ? brand.text : "#1d4ed8";
  const line = (segs: Segment[]): ReactNode[] =>
    segs.map((s, i) =>
      s.kind === "text" ? (
        <span key={i}>{s.value}</span>
      ) : (
        <Link key={i} href={s.href} style={{ color: linkColor, textDecoration: "underline" }}>
          {s.href}
        </Link>
      ),
    );
  const paragraph = (p: Segment[], i: number) => {
    const href = brand ? standaloneLink(p) : null;
    if (brand && href) {
      return (
        <Section key={i} style={{ margin: "16px 0" }}>
          <Button
            href={href}
            style={{ backgroundColor: brand.accent, color: brand.onAccent, border: `1px solid ${brand.border}`, borderRadius: "8px", padding: "12px 16px", fontSize: "16px", fontWeight: 600, textDecoration: "none", wordBreak: "break-all" }}
          >
            {href}
          </Button>
        </Section>
      );
    }
    return (
      <Text key={i} style={{ fontSize: "16px", lineHeight: "24px" }}>
        {line(p)}
      </Text>
    );
  };
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "Helvetica, Arial, sans-serif", color: "#0f172a" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          {brand ? (
            <Section style={{ backgroundColor: brand.accent, borderBottom: `2px solid ${brand.border}`, padding: "12px 16px", marginBottom: "8px" }}>
              <Text style={{ margin: 0, color: brand.onAccent, fontSize: "18px", lineHeight: "24px", fontWeight: 700 }}>{clinicName}</Text>
            </Section>
          ) : null}
          {paragraphs.map(paragraph)}
          <Hr />
          <Text style={{ fontSize: "12px", color: "#475569" }}>
            {clinicName}
            {unsubscribe ? (
              <>
                {" · "}
                <Link href={UNSUBSCRIBE_PLACEHOLDER} style={{ color: "#475569" }}>
                  Unsubscribe from these emails
                </Link>
              </>
            ) : null}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/**
 * HTML and plain-text parts from one template: every link of the HTML is written out in the
 * text part too, the unsubscribe link included when the message carries one (rule A2).
 */
export async function renderEmail(input: { subject: string; body: string; vars: Record<string, string> | null; senderName: string; unsubscribe: boolean; brandColor?: string | null }): Promise<Rendered> {
  const subject = input.vars ? renderSubject(input.subject, input.vars) : input.subject;
  const paragraphs = paragraphsOf(input.body, input.vars);
  const text = [
    ...paragraphs.map((p) => p.map((s) => (s.kind === "text" ? s.value : s.href)).join("")),
    "--",
    input.unsubscribe ? `${input.senderName}\nUnsubscribe from these emails: ${UNSUBSCRIBE_PLACEHOLDER}` : input.senderName,
  ].join("\n\n");
  const palette = brandPalette(input.brandColor);
  const brand = palette === DEFAULT_PALETTE ? null : palette;
  const html = await render(<Email preview={subject} clinicName={input.senderName} paragraphs={paragraphs} unsubscribe={input.unsubscribe} brand={brand} />);
  return { subject, text, html };
}
