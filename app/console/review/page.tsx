import type { Metadata } from "next";
import { ReviewQueue } from "./review-queue";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Review</h1>
        <p className="mt-1 text-slate-700">
          Referrals that look unusual wait here. Their rewards are held until someone approves them; rejecting withholds them for good. Each
          decision needs a reason and goes in the audit log.
        </p>
      </div>
      <ReviewQueue />
    </div>
  );
}
