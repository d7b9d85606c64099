import type { Metadata } from "next";
import { ActivityLog } from "../_components/activity-log";

export const metadata: Metadata = { title: "Activity" };

export default function ActivityPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Activity</h1>
        <p className="mt-1 text-slate-700">
          Every referral event at your clinic, newest first: link clicks, sign-ups, reviews, rewards, credit used and staff
          changes.
        </p>
      </div>
      <ActivityLog />
    </div>
  );
}
