"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/console/settings", label: "Program" },
  { href: "/console/settings/profile", label: "Profile" },
  { href: "/console/settings/team", label: "Team" },
  { href: "/console/settings/services", label: "Services" },
  { href: "/console/settings/points", label: "Points" },
  { href: "/console/settings/webhooks", label: "Webhooks" },
  { href: "/console/settings/integrations", label: "Integrations" },
  { href: "/console/settings/messages", label: "Messages" },
  { href: "/console/settings/audit", label: "Audit log" },
  { href: "/console/settings/schedule", label: "Schedule" },
] as const;

/** The admin's settings sections (rules C3, C4, C5, A6). */
export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings sections">
      <ul className="flex flex-wrap gap-1 border-b border-slate-200">
        {LINKS.map((link) => {
          const active = pathname === link.href;
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={
                  active
                    ? "-mb-px inline-flex min-h-11 items-center border-b-2 border-brand-600 px-3 text-sm font-semibold text-brand-800"
                    : "inline-flex min-h-11 items-center px-3 text-sm font-medium text-slate-700 hover:text-slate-900"
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
