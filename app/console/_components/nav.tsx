"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTRPC } from "@/app/_trpc/client";

const LINKS = [
  { href: "/console", label: "Dashboard", adminOnly: false },
  { href: "/console/activity", label: "Activity", adminOnly: false },
  { href: "/console/referrals", label: "Referrals", adminOnly: false },
  { href: "/console/patients", label: "Patients", adminOnly: false },
  { href: "/console/review", label: "Review", adminOnly: false },
  { href: "/console/jobs", label: "Failed jobs", adminOnly: true },
  { href: "/console/messages", label: "Messages", adminOnly: false },
  { href: "/console/settings", label: "Settings", adminOnly: true },
] as const;

function isActive(pathname: string, href: string) {
  return href === "/console" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

export function ConsoleNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const trpc = useTRPC();
  // Rule P6: how many flagged referrals wait; refreshed whenever the queue is.
  const waiting = useQuery(trpc.review.queue.queryOptions()).data?.length ?? 0;
  return (
    <nav aria-label="Console" className="w-full sm:w-auto">
      <ul className="-mx-1 flex flex-wrap gap-1">
        {LINKS.filter((link) => isAdmin || !link.adminOnly).map((link) => {
          const active = isActive(pathname, link.href);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={
                  active
                    ? "inline-flex min-h-11 items-center rounded-lg bg-brand-50 px-3 text-sm font-semibold text-brand-800 underline decoration-2 underline-offset-8"
                    : "inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900"
                }
              >
                {link.label}
                {link.href === "/console/review" && waiting > 0 && (
                  <span className="ml-1.5 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
                    {waiting}
                    <span className="sr-only"> waiting</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
