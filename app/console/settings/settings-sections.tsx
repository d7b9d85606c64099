import { Card, TextField } from "@/app/_components/ui";
import type { FieldErrors } from "@/app/_trpc/errors";
import { RewardFields, SelectField, TextAreaField } from "./settings-fields";
import { errorFor, type Values } from "./settings-values";

export type SectionProps = { values: Values; change: (patch: Partial<Values>) => void; fields: FieldErrors };

const NO_LIMIT = "Leave empty for no limit.";

/** A text input bound to one string value of the form. */
function Field({ values, change, fields, k, errorKey, ...rest }: SectionProps & { k: keyof Values; errorKey?: string; label: string; hint?: string; decimal?: boolean; className?: string }) {
  return (
    <TextField
      label={rest.label}
      hint={rest.hint}
      name={errorKey ?? k}
      className={rest.className}
      inputMode={rest.decimal ? "decimal" : "numeric"}
      autoComplete="off"
      value={values[k] as string}
      onChange={(event) => change({ [k]: event.target.value })}
      error={errorFor(fields, errorKey ?? k)}
    />
  );
}

export function RewardsSection({ values, change, fields }: SectionProps) {
  return (
    <Card title="Rewards">
      <p className="mb-4 text-sm text-slate-700">What each patient receives when a referral qualifies. Set an amount of 0 for no reward on that side.</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <RewardFields
          legend="Referrer reward"
          hint="For the patient who shared their link."
          name="referrerReward"
          kind={values.referrerKind}
          amount={values.referrerAmount}
          onKind={(referrerKind) => change({ referrerKind })}
          onAmount={(referrerAmount) => change({ referrerAmount })}
          error={errorFor(fields, "referrerReward.amount")}
        />
        <RewardFields
          legend="New patient reward"
          hint="A welcome reward for the new patient, usable from their next order."
          name="refereeReward"
          kind={values.refereeKind}
          amount={values.refereeAmount}
          onKind={(refereeKind) => change({ refereeKind })}
          onAmount={(refereeAmount) => change({ refereeAmount })}
          error={errorFor(fields, "refereeReward.amount")}
        />
      </div>
    </Card>
  );
}

const EVENT_OPTIONS = [
  { value: "first_paid_order", label: "The new patient's first paid order" },
  { value: "first_booked_appointment", label: "The new patient's first booked appointment" },
  { value: "first_attended_appointment", label: "The new patient's first attended appointment" },
] as const;

export function EarningSection(props: SectionProps) {
  const { values, change, fields } = props;
  return (
    <Card title="What earns a reward">
      <div className="flex flex-col gap-4">
        <SelectField
          label="Qualifying event"
          hint="Both rewards are released once, on the first time this happens."
          name="qualifyingEvent"
          options={EVENT_OPTIONS}
          value={values.qualifyingEvent}
          onChange={(qualifyingEvent) => change({ qualifyingEvent })}
          error={errorFor(fields, "qualifyingEvent")}
        />
        <Field {...props} k="attributionWindowDays" label="Attribution window (days)" hint="How long after opening a shared link a sign-up still counts as a referral. 1 to 365 days." className="max-w-xs" />
      </div>
    </Card>
  );
}

export function LimitsSection(props: SectionProps) {
  return (
    <Card title="Limits">
      <p className="mb-4 text-sm text-slate-700">
        Caps per referrer. Over a cap the referral is still tracked but earns nothing, and says why. {NO_LIMIT}
      </p>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field {...props} k="maxRewardedPerYear" label="Rewarded referrals per year" hint="No limit when empty." />
        <Field {...props} k="maxRewardedLifetime" label="Rewarded referrals in total" hint="No limit when empty." />
        <Field {...props} k="maxRewardValuePerYear" errorKey="maxRewardValuePerYearCents" label="Yearly reward value ($)" hint="Credit per referrer per year. No limit when empty." decimal />
      </div>
    </Card>
  );
}

export function ExpirySection(props: SectionProps) {
  return (
    <Card title="Expiry and reminders">
      <p className="mb-4 text-sm text-slate-700">Rewards can expire a number of days after they are issued; holders are reminded first.</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field {...props} k="rewardExpiryDays" label="Rewards expire after (days)" hint="Leave empty and rewards never expire." />
        <Field {...props} k="expiryReminderDays" label="Remind holders (days before expiry)" hint="Must be fewer days than the expiry." />
      </div>
    </Card>
  );
}

export function HoldSection(props: SectionProps) {
  return (
    <Card title="Refund hold">
      <Field
        {...props}
        k="holdDays"
        label="Hold window (days)"
        hint="If the qualifying order is refunded within this many days, unused rewards from it are reversed. Used rewards are reported, never taken into a negative balance. 0 to 365."
        className="max-w-md"
      />
    </Card>
  );
}

export function FraudSection(props: SectionProps) {
  return (
    <Card title="Fraud review">
      <p className="mb-4 text-sm text-slate-700">
        Referrals from the referrer&apos;s own network or device, or with a disposable email address, always wait for a person in the review
        queue. So do a referrer&apos;s referrals past this many in 24 hours.
      </p>
      <Field {...props} k="velocityLimitPerDay" label="Referrals per day before review" hint="1 to 1,000." className="max-w-xs" />
    </Card>
  );
}

const OVER_CAP_OPTIONS = [
  { value: "withhold", label: "Withhold the reward (it is recorded, not paid)" },
  { value: "points", label: "Give loyalty points instead of credit" },
] as const;

export function GovernmentSection(props: SectionProps) {
  const { values, change, fields } = props;
  return (
    <Card title="Government-program patients">
      <p className="mb-4 text-sm text-slate-700">
        For patients whose care Medicare, Medicaid or another government program pays, rewards are capped. The defaults follow the federal
        nominal-value guidance for beneficiary inducements (HHS Office of Inspector General: $15 per item and $75 per year in total).
        Check with your compliance adviser before raising them.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field {...props} k="governmentItemCap" errorKey="governmentItemCapCents" label="Cap per reward ($)" decimal />
        <Field {...props} k="governmentYearCap" errorKey="governmentYearCapCents" label="Cap per year ($)" decimal />
        <SelectField
          className="sm:col-span-2"
          label="Above a cap"
          name="governmentOverCapAction"
          options={OVER_CAP_OPTIONS}
          value={values.governmentOverCapAction}
          onChange={(governmentOverCapAction) => change({ governmentOverCapAction })}
          error={errorFor(fields, "governmentOverCapAction")}
        />
      </div>
    </Card>
  );
}

export function LinksAndTermsSection({ values, change, fields, termsHref }: SectionProps & { termsHref: string }) {
  return (
    <Card title="Terms and learn-more link">
      <div className="flex flex-col gap-4">
        <TextField
          label="Learn-more link (optional)"
          hint={`Where "Learn more" in the patient portal goes. Leave empty to use your program terms page (${termsHref}).`}
          name="learnMoreUrl"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://"
          value={values.learnMoreUrl}
          onChange={(event) => change({ learnMoreUrl: event.target.value })}
          error={errorFor(fields, "learnMoreUrl")}
        />
        <TextAreaField
          label="Program terms"
          hint="Patients accept these terms before they can share their link. Changing the text makes a new version, and every patient is asked to accept again."
          name="termsText"
          rows={8}
          value={values.termsText}
          onChange={(termsText) => change({ termsText })}
          error={errorFor(fields, "termsText")}
        />
      </div>
    </Card>
  );
}
