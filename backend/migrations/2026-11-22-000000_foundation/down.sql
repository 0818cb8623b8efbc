DROP FUNCTION IF EXISTS polku_touch_updated_at();
REVOKE SELECT ON __diesel_schema_migrations FROM polku_app;
