import type { FormState } from "@/app/_components/form-state";
import type { RouterOutputs } from "@/server/root";

/** Shared by the checkout form and its server action: how the form's fields become the checkout input. */

export type CheckoutResult = RouterOutputs["portal"]["checkout"];
export type CheckoutState = FormState & { result: CheckoutResult | null };
export type CheckoutErrors = { form?: string; items?: string; number?: string; expiry?: string; cvc?: string };

const QUANTITY = "quantity.";
export const quantityName = (serviceId: string) => `${QUANTITY}${serviceId}`;

export const digits = (value: string, max: number) => value.replace(/\D/g, "").slice(0, max);

/** "1230", "12/30" or an autofilled "12/2030" all become "12/30". */
export function formatExpiry(value: string): string {
  const full = /^(\d{2})\s*\/\s*\d{2}(\d{2})$/.exec(value.trim());
  const d = full ? `${full[1]}${full[2]}` : digits(value, 4);
  return d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d;
}

const text = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
};

/** The quantities chosen, by service id; blanks and zeros are not chosen. */
export function quantitiesOf(entries: Iterable<[string, unknown]>): Record<string, number> {
  const chosen: Record<string, number> = {};
  for (const [name, value] of entries) {
    if (!name.startsWith(QUANTITY) || typeof value !== "string" || value.trim() === "") continue;
    const quantity = Number(value);
    if (quantity !== 0) chosen[name.slice(QUANTITY.length)] = quantity;
  }
  return chosen;
}

/** The form as the checkout procedure's input; the shared schema judges it (a typed "1230" expiry is read as 12/30, as the script would show it). */
export function checkoutFromForm(data: FormData) {
  return {
    items: Object.entries(quantitiesOf(data.entries())).map(([serviceId, quantity]) => ({ serviceId, quantity })),
    card: { number: text(data, "cardNumber"), expiry: formatExpiry(text(data, "cardExpiry")), cvc: text(data, "cardCvc") },
    idempotencyKey: text(data, "idempotencyKey"),
  };
}

/** What comes back to fill the form again: the quantities, the expiry and the attempt's key; never the card number or its code. */
export function keptValues(data: FormData): Record<string, string> {
  const kept: Record<string, string> = { cardExpiry: text(data, "cardExpiry"), idempotencyKey: text(data, "idempotencyKey") };
  for (const [name, value] of data.entries()) if (name.startsWith(QUANTITY) && typeof value === "string") kept[name] = value;
  return kept;
}

/** zod's issues as the checkout shows them: the items, each card field, or the whole form. */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string | undefined> {
  const errors: Record<string, string | undefined> = {};
  for (const issue of issues) {
    const [top, field] = issue.path;
    const name = top === "items" ? "items" : top === "card" && (field === "number" || field === "expiry" || field === "cvc") ? field : "form";
    errors[name] ??= issue.message;
  }
  return errors;
}
