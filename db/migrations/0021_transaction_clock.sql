-- The transaction's clock: now(), unless the transaction set app.now (set_config(..., true), so it
-- ends with the transaction). The demo's story writes its 90 days through the services with it;
-- nothing in production sets it.
CREATE OR REPLACE FUNCTION app_now() RETURNS timestamptz
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(current_setting('app.now', true), '')::timestamptz, now()) $$;
