"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert, Button, Card, TextField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formErrors, type FieldErrors } from "@/app/_trpc/errors";
import type { RouterOutputs } from "@/server/root";

type Template = RouterOutputs["messages"]["templates"][number];
type Settings = RouterOutputs["messages"]["settings"];
type Preview = RouterOutputs["messages"]["preview"];

function useFeedback() {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  return {
    notice,
    error,
    fields,
    ok: (text: string) => {
      setNotice(text);
      setError(null);
      setFields({});
    },
    fail: (e: unknown) => {
      const f = formErrors(e);
      setNotice(null);
      setError(f.form ?? Object.values(f.fields).find(Boolean) ?? "That didn't work.");
      setFields(f.fields);
    },
  };
}

/** Rule C3: one kind's subject and body, with a preview on sample data, a test send to yourself, and reset. */
export function TemplateEditor({ initial }: { initial: Template }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const bodyId = useId();
  const [subject, setSubject] = useState(initial.subject);
  const [body, setBody] = useState(initial.body);
  const [custom, setCustom] = useState(initial.custom);
  const [preview, setPreview] = useState<Preview | null>(null);
  const feedback = useFeedback();
  const input = { kind: initial.kind, subject, body };
  const save = useMutation(trpc.messages.saveTemplate.mutationOptions({ onSuccess: (t) => (setCustom(t.custom), feedback.ok("Saved. New messages use these words.")), onError: feedback.fail }));
  const reset = useMutation(
    trpc.messages.resetTemplate.mutationOptions({
      onSuccess: (t) => {
        setSubject(t.subject);
        setBody(t.body);
        setCustom(false);
        feedback.ok("Back to the default words.");
      },
      onError: feedback.fail,
    }),
  );
  const test = useMutation(trpc.messages.testSend.mutationOptions({ onSuccess: (r) => feedback.ok(`A test was sent to ${r.sentTo}.`), onError: feedback.fail }));
  const [previewing, setPreviewing] = useState(false);
  async function showPreview() {
    setPreviewing(true);
    try {
      setPreview(await client.fetchQuery(trpc.messages.preview.queryOptions(input)));
      feedback.ok("Preview below, with sample data.");
    } catch (e) {
      feedback.fail(e);
    } finally {
      setPreviewing(false);
    }
  }
  return (
    <Card title={`${initial.label}${custom ? " (your words)" : ""}`}>
      <div className="flex flex-col gap-3">
        {feedback.notice && <Alert tone="success">{feedback.notice}</Alert>}
        {feedback.error && <Alert>{feedback.error}</Alert>}
        <TextField label="Subject" name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} error={feedback.fields.subject} maxLength={150} />
        <div className="flex flex-col gap-1">
          <label htmlFor={bodyId} className="text-sm font-medium text-slate-800">
            Message
          </label>
          <p id={`${bodyId}-hint`} className="text-sm text-slate-600">
            Variables: {initial.variables.map((v) => `{{${v}}}`).join(", ")}. A blank line starts a new paragraph.
          </p>
          <textarea
            id={bodyId}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={7}
            maxLength={3000}
            aria-describedby={`${bodyId}-hint`}
            aria-invalid={feedback.fields.body ? true : undefined}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm"
          />
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" busy={save.isPending} onClick={() => save.mutate(input)}>
            Save
          </Button>
          <Button type="button" variant="secondary" busy={previewing} onClick={() => void showPreview()}>
            Preview
          </Button>
          <Button type="button" variant="secondary" busy={test.isPending} onClick={() => test.mutate(input)}>
            Send a test to me
          </Button>
          {custom && (
            <Button type="button" variant="secondary" busy={reset.isPending} onClick={() => reset.mutate({ kind: initial.kind })}>
              Reset to default
            </Button>
          )}
        </div>
        {preview && (
          <section aria-label="Preview" className="rounded-lg border border-slate-200 p-3">
            <p className="font-semibold text-slate-900">{preview.subject}</p>
            <pre className="mt-2 whitespace-pre-wrap font-sans text-sm text-slate-800">{preview.text}</pre>
          </section>
        )}
      </div>
    </Card>
  );
}

/** Rule N7 quiet hours, the share reminder's delay, and the staff channel's Slack webhook. */
export function MessageSettingsForm({ initial }: { initial: Settings }) {
  const trpc = useTRPC();
  const [values, setValues] = useState({ start: String(initial.quietHoursStart), end: String(initial.quietHoursEnd), days: initial.shareReminderDays ? String(initial.shareReminderDays) : "", slack: "" });
  const [slackConfigured, setSlackConfigured] = useState(initial.slackConfigured);
  const feedback = useFeedback();
  const update = useMutation(trpc.messages.updateSettings.mutationOptions({ onSuccess: (s) => (setSlackConfigured(s.slackConfigured), setValues((v) => ({ ...v, slack: "" })), feedback.ok("Saved.")), onError: feedback.fail }));
  const submit = (removeSlack = false) =>
    update.mutate({
      quietHoursStart: Number(values.start),
      quietHoursEnd: Number(values.end),
      shareReminderDays: values.days.trim() ? Number(values.days) : null,
      ...(removeSlack ? { slackWebhookUrl: null } : values.slack.trim() ? { slackWebhookUrl: values.slack.trim() } : {}),
    });
  return (
    <Card title="Delivery">
      <form method="post"
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {feedback.notice && <Alert tone="success">{feedback.notice}</Alert>}
        {feedback.error && <Alert>{feedback.error}</Alert>}
        <div className="flex flex-wrap gap-3">
          <TextField label="Quiet hours start (0-23)" name="quietHoursStart" inputMode="numeric" value={values.start} onChange={(e) => setValues({ ...values, start: e.target.value })} error={feedback.fields.quietHoursStart} />
          <TextField label="Quiet hours end (0-23)" name="quietHoursEnd" inputMode="numeric" value={values.end} onChange={(e) => setValues({ ...values, end: e.target.value })} error={feedback.fields.quietHoursEnd} />
        </div>
        <p className="text-sm text-slate-600">Texts written in quiet hours wait until they end, in the clinic&apos;s local time. They are never dropped.</p>
        <TextField
          label="Share reminder, days after a first paid visit"
          hint="Leave empty to send none. Only patients who opted in to marketing get it."
          name="shareReminderDays"
          inputMode="numeric"
          value={values.days}
          onChange={(e) => setValues({ ...values, days: e.target.value })}
          error={feedback.fields.shareReminderDays}
        />
        <TextField
          label={slackConfigured ? "Slack incoming webhook (one is set; paste a new one to replace it)" : "Slack incoming webhook for staff alerts"}
          hint="Starts with https://hooks.slack.com/services/. It is stored encrypted and never shown again."
          name="slackWebhookUrl"
          type="url"
          autoComplete="off"
          value={values.slack}
          onChange={(e) => setValues({ ...values, slack: e.target.value })}
          error={feedback.fields.slackWebhookUrl}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" busy={update.isPending}>
            Save delivery settings
          </Button>
          {slackConfigured && (
            <Button type="button" variant="secondary" onClick={() => submit(true)}>
              Remove the Slack webhook
            </Button>
          )}
        </div>
      </form>
    </Card>
  );
}

/**
 * Issue 19: Slack posts name no patient unless an admin says the workspace is covered by a BAA
 * with Slack (Slack's ordinary plans offer none). Saved on its own, audited.
 */
export function SlackBaaSetting({ initial }: { initial: Settings }) {
  const trpc = useTRPC();
  const checkboxId = useId();
  const hintId = useId();
  const [covered, setCovered] = useState(initial.slackBaaCovered);
  const feedback = useFeedback();
  const save = useMutation(
    trpc.messages.setSlackBaaCovered.mutationOptions({
      onSuccess: (s) => (setCovered(s.slackBaaCovered), feedback.ok(s.slackBaaCovered ? "Saved. Slack posts may name patients by first name." : "Saved. Slack posts name no patient.")),
      onError: feedback.fail,
    }),
  );
  return (
    <Card title="Patient names in Slack">
      <div className="flex flex-col gap-3">
        <p id={hintId} className="text-sm text-slate-700">
          Slack posts (staff alerts here, and Slack endpoints on the Webhooks page) carry counts and a link into this console, never a patient&apos;s name. Tick this
          only if your organization has a Business Associate Agreement with Slack that covers this workspace.
        </p>
        <label htmlFor={checkboxId} className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
          <input
            id={checkboxId}
            type="checkbox"
            checked={covered}
            disabled={save.isPending}
            aria-describedby={hintId}
            onChange={(e) => save.mutate({ covered: e.target.checked })}
            className="mt-0.5 size-5 shrink-0 accent-brand-600"
          />
          <span>This Slack workspace is covered by a BAA: Slack posts may name patients by first name.</span>
        </label>
        {feedback.notice && <Alert tone="success">{feedback.notice}</Alert>}
        {feedback.error && <Alert>{feedback.error}</Alert>}
      </div>
    </Card>
  );
}
