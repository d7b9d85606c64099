import { useId } from "react";

type SelectProps = React.ComponentProps<"select"> & { label: string; error?: string; name: string; options: readonly (readonly [string, string])[] };

/** A labelled select whose error is announced with it. */
export function SelectField({ label, error, name, options, className, ...rest }: SelectProps) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className ?? ""}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        className={`min-h-11 rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
        {...rest}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its statement as the label, and its error under it; uncontrolled, so a tick made before hydration stays. */
export function CheckField({ label, error, name, defaultChecked }: { label: React.ReactNode; error?: string; name: string; defaultChecked?: boolean }) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
        <input
          id={id}
          name={name}
          type="checkbox"
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={errorId}
          className="mt-0.5 size-5 shrink-0 accent-brand-600"
        />
        <span>{label}</span>
      </label>
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
