import { useId } from "react";

type Props = React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; error?: string; options: readonly { value: string; label: string }[] };

/** A labelled select whose error is announced with it. */
export function SelectField({ label, error, options, className, ...rest }: Props) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className ?? ""}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        className={`min-h-11 rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
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
