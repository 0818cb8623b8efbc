-- Name search in two functions of fixed shape, so that the database keeps their plans for
-- the connection. Sent as an ad-hoc statement of 2 + 2 × (similar words) branches, a
-- search was parsed and planned anew every time, which cost more than running it.

-- The words of the organisation's name dictionary like the query (typing errors), most
-- alike first.
CREATE FUNCTION polku_similar_words(query text, threshold real, most integer)
RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
DECLARE
    -- Folded once, not for every word compared.
    folded text COLLATE "C" := polku_fold(query);
BEGIN
    RETURN ARRAY(
        SELECT n.word FROM client_name_words n
        WHERE similarity(folded, n.word) >= threshold
        ORDER BY similarity(folded, n.word) DESC, n.word
        LIMIT most);
END;
$$;

-- A page of a name search (ids in name order, at most `page`), filtered at most by units
-- and status, after the client `after` (keyset); the query expands to at most `most`
-- dictionary words at least `threshold` like it. Each range of the name indexes — the
-- query as the start of the last name and of the first name, each dictionary word like it
-- as a whole word of either — is read by itself, from the index alone, in name order and
-- cut at the page; the union of those short lists is sorted once. A common name or a
-- short prefix costs the page, not every match. Row-level security applies as to any
-- statement of the caller (SECURITY INVOKER).
CREATE FUNCTION polku_name_search(query text, threshold real, most integer, units uuid[], unit uuid,
                                  wanted_status text, after uuid, page integer)
RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY INVOKER
-- Planned once per connection: every plan reads the same index ranges whatever the
-- values (a plan for the values at hand would cost more than the search).
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    low text COLLATE "C" := polku_fold(query);
    -- Above every continuation of `low`.
    high text COLLATE "C" := polku_fold(query) || chr(1114111);
    after_name text COLLATE "C";
    words text[] := CASE WHEN most > 0 THEN polku_similar_words(query, threshold, most) ELSE '{}' END;
BEGIN
    IF after IS NOT NULL THEN
        SELECT c.search_name INTO after_name FROM clients c WHERE c.id = after;
        IF after_name IS NULL THEN
            RETURN '{}';
        END IF;
    END IF;
    -- A whole word is the range [word, word || '!'): the word, then a space or the end
    -- (a space is the only byte between them). In the last-name index a page after the
    -- cursor starts at the cursor (greatest() ignores NULL).
    RETURN ARRAY(
        SELECT m.id FROM (
            (SELECT c.id, c.search_name FROM clients c
             WHERE c.search_name >= greatest(low, after_name) AND c.search_name < high
               AND (units IS NULL OR c.unit_id = ANY (units)) AND (unit IS NULL OR c.unit_id = unit)
               AND (wanted_status IS NULL OR c.status = wanted_status)
               AND (after IS NULL OR (c.search_name, c.id) > (after_name, after))
             ORDER BY c.search_name, c.id LIMIT page)
            UNION
            (SELECT c.id, c.search_name FROM clients c
             WHERE c.search_first >= low AND c.search_first < high
               AND (units IS NULL OR c.unit_id = ANY (units)) AND (unit IS NULL OR c.unit_id = unit)
               AND (wanted_status IS NULL OR c.status = wanted_status)
               AND (after IS NULL OR (c.search_name, c.id) > (after_name, after))
             ORDER BY c.search_name, c.id LIMIT page)
            UNION
            (SELECT x.id, x.search_name
             FROM unnest(words) AS w (word)
             CROSS JOIN LATERAL (
                 SELECT c.id, c.search_name FROM clients c
                 WHERE c.search_name >= greatest(w.word COLLATE "C", after_name)
                   AND c.search_name < ((w.word || '!') COLLATE "C")
                   AND (units IS NULL OR c.unit_id = ANY (units)) AND (unit IS NULL OR c.unit_id = unit)
                   AND (wanted_status IS NULL OR c.status = wanted_status)
                   AND (after IS NULL OR (c.search_name, c.id) > (after_name, after))
                 ORDER BY c.search_name, c.id LIMIT page) x)
            UNION
            (SELECT x.id, x.search_name
             FROM unnest(words) AS w (word)
             CROSS JOIN LATERAL (
                 SELECT c.id, c.search_name FROM clients c
                 WHERE c.search_first >= (w.word COLLATE "C") AND c.search_first < ((w.word || '!') COLLATE "C")
                   AND (units IS NULL OR c.unit_id = ANY (units)) AND (unit IS NULL OR c.unit_id = unit)
                   AND (wanted_status IS NULL OR c.status = wanted_status)
                   AND (after IS NULL OR (c.search_name, c.id) > (after_name, after))
                 ORDER BY c.search_name, c.id LIMIT page) x)
        ) m
        ORDER BY m.search_name, m.id
        LIMIT page);
END;
$$;

REVOKE ALL ON FUNCTION polku_similar_words(text, real, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION polku_similar_words(text, real, integer) TO polku_app;
REVOKE ALL ON FUNCTION polku_name_search(text, real, integer, uuid[], uuid, text, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION polku_name_search(text, real, integer, uuid[], uuid, text, uuid, integer) TO polku_app;
