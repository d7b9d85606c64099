import type { ROLES } from "@/db/schema";

export type Role = (typeof ROLES)[number];

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  switch (role) {
    case "patient":
      return "/portal";
    case "staff":
    case "admin":
      return "/console";
    case "platform_admin":
      return "/platform";
  }
}
