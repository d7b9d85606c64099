import { DEMO_BANNER_TEXT } from "@/server/demo/banner";

/** Item 20: shown on every page while the demo accounts (published passwords) exist. */
export function DemoBanner() {
  return (
    <aside aria-label="Demo data" className="border-b border-amber-500 bg-amber-100 px-5 py-2 text-center text-sm text-amber-950">
      <p>
        <strong>{DEMO_BANNER_TEXT}</strong>
      </p>
    </aside>
  );
}
