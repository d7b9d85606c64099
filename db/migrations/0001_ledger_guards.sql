-- Rule N2: the credit ledger is append-only. Corrections are new entries, never edits.
CREATE OR REPLACE FUNCTION credit_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'credit_ledger is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_update_delete
  BEFORE UPDATE OR DELETE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_truncate
  BEFORE TRUNCATE ON credit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION credit_ledger_append_only();
--> statement-breakpoint
-- Rule P9: no grant is ever drawn below zero, whatever the application does. The grant row
-- is locked so two concurrent draw-downs of one grant are checked one after the other.
CREATE OR REPLACE FUNCTION credit_ledger_no_overdraw() RETURNS trigger AS $$
DECLARE
  grant_row credit_ledger%ROWTYPE;
  remaining integer;
BEGIN
  IF NEW.grant_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT * INTO grant_row FROM credit_ledger WHERE id = NEW.grant_id FOR UPDATE;
  IF grant_row.kind NOT IN ('grant', 'adjustment') OR grant_row.amount_cents <= 0
     OR grant_row.patient_id <> NEW.patient_id OR grant_row.unit <> NEW.unit THEN
    RAISE EXCEPTION 'ledger entry % draws on something that is not a grant of the same holder and unit', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT grant_row.amount_cents + coalesce(sum(amount_cents), 0) + NEW.amount_cents INTO remaining
    FROM credit_ledger WHERE grant_id = NEW.grant_id;
  IF remaining < 0 OR remaining > grant_row.amount_cents THEN
    RAISE EXCEPTION 'grant % would be left at % cents', NEW.grant_id, remaining
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_overdraw
  BEFORE INSERT ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION credit_ledger_no_overdraw();
