import type { Metadata } from "next";
import { requireActor } from "@/app/_auth/require";
import { serverCaller } from "@/app/_trpc/server";
import { SettingsNav } from "../_components/settings-nav";
import { MessageSettingsForm, SlackBaaSetting, TemplateEditor } from "./messages-workspace";

export const metadata: Metadata = { title: "Messages" };

/** Rules A2, C3, N7: the clinic's message words, quiet hours, share reminder and Slack channel. */
export default async function MessagesSettingsPage() {
  await requireActor("admin");
  const caller = await serverCaller();
  const [templates, settings] = await Promise.all([caller.messages.templates(), caller.messages.settings()]);
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Messages</h1>
        <p className="mt-1 text-slate-700">
          The emails and texts patients get from your program. Variables in double braces, like {"{{first_name}}"}, are filled in for each person. Account messages
          (verification, password reset) use fixed words.
        </p>
      </div>
      <MessageSettingsForm initial={settings} />
      <SlackBaaSetting initial={settings} />
      {templates.map((t) => (
        <TemplateEditor key={t.kind} initial={t} />
      ))}
    </div>
  );
}
