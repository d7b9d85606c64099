import { brandThemeStyle } from "@/app/_components/brand-theme";
import { brandColorOf, brandPalette } from "@/server/schemas/brand";

const ratio = (n: number) => `${n.toFixed(2)}:1`;

/**
 * Issue 13: how the colour will look, with the contrasts it reaches (rule N5). Any #rrggbb is
 * fine: where the colour itself is too light or too dark, the palette adjusts and says so.
 */
export function BrandPreview({ value }: { value: string }) {
  const color = brandColorOf(value);
  const p = brandPalette(color);
  const adjusted = color !== null && (p.text !== color || p.border !== color);
  return (
    <section aria-labelledby="brand-preview-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4">
      <h3 id="brand-preview-heading" className="text-sm font-semibold text-slate-900">
        Preview {color ? `of ${color}` : "(the default colours)"}
      </h3>
      <div style={brandThemeStyle(p)} className="flex flex-col gap-3 rounded-lg bg-white p-4" aria-hidden="true">
        <div className="h-2 rounded bg-brand-accent shadow-[inset_0_-1px_0_var(--color-brand-600)]" />
        <div className="flex flex-wrap items-center gap-4">
          <span className="inline-flex min-h-11 items-center rounded-lg bg-brand-accent px-4 py-2 text-sm font-semibold text-brand-on-accent ring-1 ring-brand-600 ring-inset">Accept the invitation</span>
          <span className="font-medium text-brand-700 underline underline-offset-4">How the program works</span>
        </div>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm text-slate-800 sm:grid-cols-[auto_1fr]">
        <dt className="font-medium">Button text</dt>
        <dd>
          {p.onAccent === "#ffffff" ? "White" : "Dark"} on the colour, {ratio(p.contrast.onAccent)} (needs 4.5:1)
        </dd>
        <dt className="font-medium">Links and headings</dt>
        <dd>
          {p.text}, {ratio(p.contrast.textOnPage)} on the page (needs 4.5:1)
        </dd>
        <dt className="font-medium">Borders and focus</dt>
        <dd>
          {p.border}, {ratio(p.contrast.borderOnPage)} on the page (needs 3:1)
        </dd>
      </dl>
      {adjusted && <p className="text-sm text-slate-700">On the page, links and borders use a darker shade of your colour so they stay readable.</p>}
    </section>
  );
}
