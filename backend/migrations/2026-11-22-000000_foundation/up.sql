-- Foundation. Runs as polku_owner, which owns every object; polku_app (the runtime
-- role) gets only the privileges each migration grants it explicitly.

-- /readyz compares the applied migrations with the ones compiled into the binary.
GRANT SELECT ON __diesel_schema_migrations TO polku_app;

-- Shared trigger function: keeps `updated_at` current on tables that have one.
CREATE FUNCTION polku_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
