import { useId } from "react";

const cx = (...parts: (string | false | null | undefined)[]) => parts.filter(Boolean).join(" ");

type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger"; busy?: boolean };

/** A button that says it is busy and cannot be pressed twice while it is. */
export function Button({ variant = "primary", busy, disabled, className, children, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60",
        variant === "primary" && "bg-brand-accent text-brand-on-accent ring-1 ring-brand-600 ring-inset hover:bg-brand-accent-hover",
        variant === "secondary" && "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
        variant === "danger" && "bg-red-700 text-white hover:bg-red-800",
        className,
      )}
    >
      {children}
    </button>
  );
}

export const linkButtonClass =
  "inline-flex min-h-11 items-center justify-center rounded-lg bg-brand-accent px-4 py-2 text-sm font-semibold text-brand-on-accent ring-1 ring-brand-600 ring-inset hover:bg-brand-accent-hover";

type FieldProps = React.ComponentProps<"input"> & { label: string; error?: string; hint?: string; name: string };

/** A labelled input whose error and hint are announced with it. */
export function TextField({ label, error, hint, className, name, ...rest }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={cx(
          "min-h-11 rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm",
          error ? "border-red-600" : "border-slate-300",
        )}
        {...rest}
      />
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A message for the whole form; errors interrupt, notices wait their turn. */
export function Alert({ tone = "error", children }: { tone?: "error" | "info" | "success"; children: React.ReactNode }) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cx(
        "rounded-lg border px-4 py-3 text-sm",
        tone === "error" && "border-red-300 bg-red-50 text-red-900",
        tone === "info" && "border-sky-300 bg-sky-50 text-sky-900",
        tone === "success" && "border-emerald-300 bg-emerald-50 text-emerald-900",
      )}
    >
      {children}
    </div>
  );
}

export function Card({ title, children, className, headingLevel = 2 }: { title?: string; children: React.ReactNode; className?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={cx("rounded-xl border border-slate-200 bg-white p-5 shadow-sm", className)}>
      {title && <Heading className="mb-3 text-lg font-semibold text-slate-900">{title}</Heading>}
      {children}
    </section>
  );
}

export function StatusBadge({ tone, children }: { tone: "neutral" | "good" | "warn" | "bad"; children: React.ReactNode }) {
  return (
    <span
      className={cx(
        "inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold",
        tone === "neutral" && "bg-slate-100 text-slate-800",
        tone === "good" && "bg-emerald-100 text-emerald-900",
        tone === "warn" && "bg-amber-100 text-amber-900",
        tone === "bad" && "bg-red-100 text-red-900",
      )}
    >
      {children}
    </span>
  );
}
