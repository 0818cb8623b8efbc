-- The login directory holds every organisation's login names. The runtime role no longer
-- touches the table: it calls four narrow functions owned by polku_directory (a NOLOGIN
-- role the owner is a member of), each with a fixed search_path. Looking a login up
-- returns the one row for that one login; claiming and releasing act only for the
-- organisation of the caller's transaction. Row-level security is forced on the table,
-- and its policies let only polku_directory through.

REVOKE ALL ON login_directory FROM polku_app;
GRANT SELECT, INSERT, DELETE ON login_directory TO polku_directory;
-- The claim checks that the user or API client is the caller's own: under the tenant
-- policy of those tables, polku_directory sees only the current organisation's rows.
GRANT SELECT (id, organisation_id) ON users, api_clients TO polku_directory;

ALTER TABLE login_directory ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_directory FORCE ROW LEVEL SECURITY;
CREATE POLICY directory_lookup ON login_directory FOR SELECT TO polku_directory USING (true);
CREATE POLICY directory_claim ON login_directory FOR INSERT TO polku_directory
    WITH CHECK (organisation_id = polku_current_organisation());
CREATE POLICY directory_release ON login_directory FOR DELETE TO polku_directory
    USING (organisation_id = polku_current_organisation());

-- The one row of one login name (no tenant needed: login uses it to find the tenant).
CREATE FUNCTION polku_login_lookup(name text)
RETURNS TABLE (organisation_id uuid, user_id uuid, api_client_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT d.organisation_id, d.user_id, d.api_client_id
    FROM public.login_directory d WHERE d.login = name
$$;

-- Whether a login name is taken (by anyone: login names are unique across organisations).
-- Says nothing about whose it is.
CREATE FUNCTION polku_login_taken(name text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT FROM public.login_directory d WHERE d.login = name)
$$;

-- Whether any login exists at all (false on a fresh installation).
CREATE FUNCTION polku_any_login()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT FROM public.login_directory)
$$;

-- Claims a login name for a user or API client of the caller's current organisation.
-- A taken name is a unique violation; another organisation's or an unknown user or API
-- client is refused.
CREATE FUNCTION polku_login_claim(name text, organisation uuid, person uuid, client uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF organisation IS NULL OR organisation IS DISTINCT FROM public.polku_current_organisation() THEN
        RAISE EXCEPTION 'a login is claimed only for the current organisation'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (person IS NULL) = (client IS NULL) THEN
        RAISE EXCEPTION 'a login belongs to a user or an API client' USING ERRCODE = 'check_violation';
    END IF;
    IF person IS NOT NULL
       AND NOT EXISTS (SELECT FROM public.users u WHERE u.id = person AND u.organisation_id = organisation) THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF client IS NOT NULL
       AND NOT EXISTS (SELECT FROM public.api_clients c WHERE c.id = client AND c.organisation_id = organisation) THEN
        RAISE EXCEPTION 'no such API client' USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO public.login_directory (login, organisation_id, user_id, api_client_id)
    VALUES (name, organisation, person, client);
END;
$$;

-- Releases the login names of a user or API client of the caller's current organisation.
CREATE FUNCTION polku_login_release(person uuid, client uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF public.polku_current_organisation() IS NULL THEN
        RAISE EXCEPTION 'a login is released only within an organisation'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM public.login_directory d
    WHERE d.organisation_id = public.polku_current_organisation()
      AND (d.user_id = person OR d.api_client_id = client);
END;
$$;

-- polku_directory owns the functions. Changing an owner needs the new owner's CREATE
-- right on the schema for a moment; it keeps nothing else.
GRANT CREATE ON SCHEMA public TO polku_directory;
ALTER FUNCTION polku_login_lookup(text) OWNER TO polku_directory;
ALTER FUNCTION polku_login_taken(text) OWNER TO polku_directory;
ALTER FUNCTION polku_any_login() OWNER TO polku_directory;
ALTER FUNCTION polku_login_claim(text, uuid, uuid, uuid) OWNER TO polku_directory;
ALTER FUNCTION polku_login_release(uuid, uuid) OWNER TO polku_directory;
REVOKE CREATE ON SCHEMA public FROM polku_directory;

REVOKE ALL ON FUNCTION polku_login_lookup(text), polku_login_taken(text), polku_any_login(),
    polku_login_claim(text, uuid, uuid, uuid), polku_login_release(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION polku_login_lookup(text), polku_login_taken(text), polku_any_login(),
    polku_login_claim(text, uuid, uuid, uuid), polku_login_release(uuid, uuid) TO polku_app;
