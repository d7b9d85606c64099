"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ redirectTo: "/signin" });
      }}
      className="min-h-11 rounded-lg px-3 text-sm font-medium text-slate-700 underline-offset-4 hover:underline"
    >
      Sign out
    </button>
  );
}
