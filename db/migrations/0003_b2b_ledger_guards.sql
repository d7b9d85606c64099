-- Custom SQL migration file, put your code below! --
-- Rule N2 and B4: the partner reward ledger is append-only; corrections are new entries.
CREATE OR REPLACE FUNCTION b2b_rewards_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'b2b_rewards is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER b2b_rewards_no_update_delete
  BEFORE UPDATE OR DELETE ON b2b_rewards
  FOR EACH ROW EXECUTE FUNCTION b2b_rewards_append_only();
--> statement-breakpoint
CREATE TRIGGER b2b_rewards_no_truncate
  BEFORE TRUNCATE ON b2b_rewards
  FOR EACH STATEMENT EXECUTE FUNCTION b2b_rewards_append_only();
--> statement-breakpoint
-- The program exists from the start, with the defaults of rule B4.
INSERT INTO b2b_program (id) VALUES (1) ON CONFLICT DO NOTHING;
