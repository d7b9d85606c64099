import { useId } from "react";
import { TextField } from "@/app/_components/ui";
import type { Program } from "./settings-values";

type Kind = Program["referrerReward"]["kind"];

const inputClass = (error?: string) =>
  `min-h-11 rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`;

type Described = { label: string; hint?: string; error?: string; name: string; className?: string };

/** Label, hint and error wired to one control by id, as TextField does for inputs. */
function Labelled({ label, hint, error, className, children }: Omit<Described, "name"> & { children: (ids: { id: string; describedBy?: string }) => React.ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${className ?? ""}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      {children({ id, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined })}
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField<T extends string>({
  options,
  value,
  onChange,
  ...props
}: Described & { options: readonly { value: T; label: string }[]; value: T; onChange: (value: T) => void }) {
  return (
    <Labelled {...props}>
      {({ id, describedBy }) => (
        <select
          id={id}
          name={props.name}
          value={value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value as T)}
          className={inputClass(props.error)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

export function TextAreaField({ value, onChange, rows = 8, ...props }: Described & { value: string; onChange: (value: string) => void; rows?: number }) {
  return (
    <Labelled {...props}>
      {({ id, describedBy }) => (
        <textarea
          id={id}
          name={props.name}
          rows={rows}
          value={value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
          className={inputClass(props.error)}
        />
      )}
    </Labelled>
  );
}

export const KIND_OPTIONS = [
  { value: "credit", label: "Credit (dollars)" },
  { value: "points", label: "Loyalty points" },
  { value: "percent", label: "Percent off the next order" },
] as const;

export const amountLabel = (kind: Kind) => (kind === "credit" ? "Amount ($)" : kind === "points" ? "Points" : "Percent off (%)");

/** Rule P8: one side's reward, a kind and an amount typed in that kind's unit. */
export function RewardFields(props: {
  legend: string;
  hint: string;
  name: string;
  kind: Kind;
  amount: string;
  onKind: (kind: Kind) => void;
  onAmount: (amount: string) => void;
  error?: string;
}) {
  return (
    <fieldset className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 font-medium text-slate-900">{props.legend}</legend>
      <p className="text-sm text-slate-600">{props.hint}</p>
      <SelectField label="Kind" name={`${props.name}.kind`} options={KIND_OPTIONS} value={props.kind} onChange={props.onKind} />
      <TextField
        label={amountLabel(props.kind)}
        name={`${props.name}.amount`}
        inputMode={props.kind === "credit" ? "decimal" : "numeric"}
        autoComplete="off"
        value={props.amount}
        onChange={(event) => props.onAmount(event.target.value)}
        error={props.error}
      />
    </fieldset>
  );
}
