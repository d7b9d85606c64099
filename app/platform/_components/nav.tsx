"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/platform", label: "Clinics" },
  { href: "/platform/referrals", label: "Referrals" },
  { href: "/platform/customers", label: "Customers" },
  { href: "/platform/prospects", label: "Prospects" },
  { href: "/platform/payouts", label: "Payouts" },
  { href: "/platform/program", label: "Program" },
  { href: "/platform/messages", label: "Messages" },
  { href: "/platform/runs", label: "Runs" },
  { href: "/platform/webhooks", label: "Webhooks" },
  { href: "/platform/jobs", label: "Jobs" },
  { href: "/platform/api-keys", label: "API keys" },
] as const;

const isActive = (pathname: string, href: string) => (href === "/platform" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`));

export function PlatformNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Platform" className="w-full sm:w-auto">
      <ul className="-mx-1 flex flex-wrap gap-1">
        {LINKS.map((link) => {
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
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
