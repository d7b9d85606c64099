"use client";

import { useState, useSyncExternalStore } from "react";
import { Button } from "@/app/_components/ui";

const noSubscribe = () => () => {};
const canShareNatively = () => typeof navigator.share === "function";

type Props = {
  /** The link as each action carries it (server/services/referrals/share-links.ts). */
  copyUrl: string;
  shareUrl: string;
  /** Id of the element holding the link text, selected when copying is not allowed. */
  linkTextId: string;
  shareTitle: string;
  shareText: string;
  emailHref: string;
  smsHref: string;
};

const actionClass =
  "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100";

/** Rule P3: copy, email, text message and the device's own share sheet; each tags its channel (rule P4). */
export function ShareActions({ copyUrl, shareUrl, linkTextId, shareTitle, shareText, emailHref, smsHref }: Props) {
  const [announcement, setAnnouncement] = useState({ text: "", ok: true });
  const nativeShare = useSyncExternalStore(noSubscribe, canShareNatively, () => false);

  async function copy() {
    setAnnouncement({ text: "", ok: true });
    try {
      await navigator.clipboard.writeText(copyUrl);
      setAnnouncement({ text: "Link copied", ok: true });
    } catch {
      selectLinkText(linkTextId);
      setAnnouncement({ text: "Couldn't copy automatically. The link is selected: copy it with your device's Copy command.", ok: false });
    }
  }

  async function share() {
    setAnnouncement({ text: "", ok: true });
    try {
      await navigator.share({ title: shareTitle, text: shareText, url: shareUrl });
    } catch (error) {
      // Closing the share sheet is not a failure.
      if (error instanceof DOMException && error.name === "AbortError") return;
      setAnnouncement({ text: "Sharing didn't work on this device. Try Copy link instead.", ok: false });
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="grid grid-cols-2 gap-2">
        <Button type="button" onClick={copy} className={nativeShare ? undefined : "col-span-2"}>
          Copy link
        </Button>
        {nativeShare && (
          <Button type="button" variant="secondary" onClick={share}>
            Share…
          </Button>
        )}
        <a href={emailHref} className={actionClass}>
          Share by email
        </a>
        <a href={smsHref} className={actionClass}>
          Share by text message
        </a>
      </div>
      <p role="status" className={`min-h-5 text-sm font-medium ${announcement.ok ? "text-emerald-800" : "text-slate-800"}`}>
        {announcement.text}
      </p>
    </div>
  );
}

function selectLinkText(id: string) {
  const node = document.getElementById(id);
  const selection = window.getSelection();
  if (!node || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(node);
  selection.removeAllRanges();
  selection.addRange(range);
}
