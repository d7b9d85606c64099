"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/portal", label: "Refer a friend" },
  { href: "/portal/credits", label: "Credits" },
  { href: "/portal/shop", label: "Book & pay" },
  { href: "/portal/orders", label: "Orders" },
] as const;

export function PortalNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Portal" className="mx-auto max-w-2xl px-2">
      <ul className="grid grid-cols-4">
        {LINKS.map(({ href, label }) => {
          const current = href === "/portal" ? pathname === href : pathname.startsWith(href);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={
                  "flex h-full min-h-11 items-center justify-center border-b-4 px-1 py-1 text-center text-sm leading-tight font-semibold " +
                  (current ? "border-brand-600 text-brand-800" : "border-transparent text-slate-700 hover:text-slate-900")
                }
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
