//! Row-level security and cross-tenant isolation.

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

const TENANT_TABLES: [&str; 32] = [
    "organisations",
    "units",
    "users",
    "user_units",
    "sessions",
    "refresh_tokens",
    "password_tokens",
    "recovery_codes",
    "api_clients",
    "audit_events",
    "audit_seals",
    "audit_retention_seals",
    "clients",
    "client_history_entries",
    "client_changes",
    "client_name_words",
    "consents",
    "consent_withdrawals",
    "code_values",
    "assessment_instruments",
    "assessment_criteria",
    "periods",
    "period_goals",
    "goal_follow_ups",
    "diary_entries",
    "period_agreements",
    "assessments",
    "assessment_scores",
    "period_reports",
    "attendance_groups",
    "attendance_group_members",
    "attendance",
];

/// Under forced row-level security too, but closed to the runtime role altogether: it
/// reaches them only through `SECURITY DEFINER` functions.
const DIRECTORY_TABLES: [&str; 1] = ["login_directory"];

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    rls: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    forced: bool,
}

/// Every table with an `organisation_id` (partitions aside: the runtime role reaches them
/// only through their parent) is a tenant table with row-level security forced.
#[tokio::test]
async fn every_table_with_an_organisation_has_forced_row_level_security() {
    let app = TestApp::spawn().await;
    let mut db = app.superuser().await;
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT c.relname::text AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
                       AND a.attname = 'organisation_id' AND NOT a.attisdropped)
         ORDER BY 1",
    )
    .load(&mut db)
    .await
    .unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    for table in &tables {
        assert!(
            TENANT_TABLES.contains(&table.name.as_str()) || DIRECTORY_TABLES.contains(&table.name.as_str()),
            "{} is not in TENANT_TABLES",
            table.name
        );
        assert!(
            table.rls && table.forced,
            "{}: row-level security not forced",
            table.name
        );
    }
    assert!(names.contains(&"clients") && names.contains(&"audit_events"));
}

/// Tables without row-level security the runtime role may use: they hold nothing of any
/// organisation (README, "The login directory and row-level security").
const GLOBAL_TABLES: [&str; 2] = [
    // Which migrations ran (`/readyz`).
    "__diesel_schema_migrations",
    // Failed-login counters, keyed by a hash of the login name or by an address.
    "login_throttle",
];

#[derive(QueryableByName)]
struct Privileged {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The runtime role can reach no table (or partition, view, sequence) that row-level
/// security does not guard, except the global ones named above.
#[tokio::test]
async fn the_runtime_role_has_no_privilege_on_a_table_without_row_level_security_but_the_global_ones() {
    let app = TestApp::spawn().await;
    let mut db = app.superuser().await;
    let open: Vec<Privileged> = diesel::sql_query(
        "SELECT c.relname::text AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
           AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
           AND (has_table_privilege('polku_app', c.oid,
                    'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                OR (c.relkind <> 'S'
                    AND has_any_column_privilege('polku_app', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
                OR (c.relkind = 'S' AND has_sequence_privilege('polku_app', c.oid, 'USAGE, SELECT, UPDATE')))
         ORDER BY 1",
    )
    .load(&mut db)
    .await
    .unwrap();
    let open: Vec<&str> = open.iter().map(|t| t.name.as_str()).collect();
    let unexpected: Vec<&&str> = open.iter().filter(|name| !GLOBAL_TABLES.contains(name)).collect();
    assert!(
        unexpected.is_empty(),
        "the runtime role reaches tables without row-level security: {unexpected:?}"
    );
    assert!(open.contains(&"login_throttle"), "{open:?}");
}

#[derive(QueryableByName)]
struct Login {
    #[diesel(sql_type = diesel::sql_types::Text)]
    login: String,
}

/// Without an organisation the runtime role lists nobody's logins; with one it cannot
/// claim or release another organisation's, and it looks up only one exact name.
#[tokio::test]
async fn the_runtime_role_cannot_list_or_change_other_organisations_logins() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let a_user = app.user(&a, &[Role::Coach]).await;
    let b_user = app.user(&b, &[Role::Coach]).await;

    // No tenant: the table itself is closed (it used to list every organisation's logins).
    let mut conn = app.runtime_role().await;
    let listed: Result<Vec<Login>, _> = diesel::sql_query("SELECT login FROM login_directory")
        .load(&mut conn)
        .await;
    assert!(
        listed.as_ref().map_or(true, Vec::is_empty),
        "logins listed without an organisation: {:?}",
        listed.map(|rows| rows.into_iter().map(|row| row.login).collect::<Vec<_>>())
    );
    // With A's tenant neither: the table is only polku_directory's.
    let mut conn = app.runtime_role().await;
    let listed = conn
        .transaction(async |conn| {
            polku::db::set_organisation(conn, a.id).await?;
            diesel::sql_query("SELECT login FROM login_directory")
                .load::<Login>(conn)
                .await
        })
        .await;
    assert!(
        listed.as_ref().map_or(true, Vec::is_empty),
        "logins listed with a tenant"
    );

    // The lookup answers one exact name, not a pattern.
    let mut conn = app.runtime_role().await;
    let found: Vec<Count> = diesel::sql_query("SELECT count(*) AS count FROM polku_login_lookup($1)")
        .bind::<diesel::sql_types::Text, _>(&b_user.email)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(found[0].count, 1);
    for pattern in ["%", "%.test", ""] {
        let found: Count = diesel::sql_query("SELECT count(*) AS count FROM polku_login_lookup($1)")
            .bind::<diesel::sql_types::Text, _>(pattern)
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(found.count, 0, "{pattern}");
    }

    // A's tenant cannot claim a name for B, nor release B's user's name.
    for statement in [
        format!(
            "SELECT polku_login_claim('kaappari@b.test', '{}', '{}', NULL)",
            b.id, b_user.id
        ),
        format!(
            "SELECT polku_login_claim('kaappari@b.test', '{}', '{}', NULL)",
            a.id, b_user.id
        ),
        format!(
            "INSERT INTO login_directory (login, organisation_id, user_id) VALUES ('kaappari@b.test', '{}', '{}')",
            a.id, a_user.id
        ),
        format!("DELETE FROM login_directory WHERE user_id = '{}'", b_user.id),
    ] {
        let mut conn = app.runtime_role().await;
        let result = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, a.id).await?;
                conn.batch_execute(&statement).await
            })
            .await;
        assert!(result.is_err(), "{statement}");
    }
    let mut conn = app.runtime_role().await;
    conn.transaction(async |conn| {
        polku::db::set_organisation(conn, a.id).await?;
        conn.batch_execute(&format!("SELECT polku_login_release('{}', NULL)", b_user.id))
            .await
    })
    .await
    .unwrap();
    // B's user still logs in.
    app.session(&b_user).await;
    let (status, _) = app.sign_in(&a, &[Role::Admin]).await.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_runtime_role_sees_no_rows_without_a_tenant_and_only_its_own_with_one() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    for org in [&a, &b] {
        let user = app.user(org, &[Role::Admin, Role::Coach]).await;
        let session = app.session(&user).await;
        client_records(&app, &session.access_token, org).await;
    }
    let mut conn = app.runtime_role().await;
    for table in TENANT_TABLES {
        let all: Count = diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(all.count, 0, "{table} without a tenant");
    }
    for (mine, theirs) in [(&a, &b), (&b, &a)] {
        let counts = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, mine.id).await?;
                let mut out = Vec::new();
                for table in TENANT_TABLES {
                    let column = if table == "organisations" {
                        "id"
                    } else {
                        "organisation_id"
                    };
                    let foreign: Count = diesel::sql_query(format!(
                        "SELECT count(*) AS count FROM {table} WHERE {column} IS DISTINCT FROM '{}'",
                        mine.id
                    ))
                    .get_result(conn)
                    .await?;
                    let own: Count = diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
                        .get_result(conn)
                        .await?;
                    out.push((table, foreign.count, own.count));
                }
                diesel::QueryResult::Ok(out)
            })
            .await
            .unwrap();
        for (table, foreign, own) in counts {
            assert_eq!(foreign, 0, "{table}: {} sees {}'s rows", mine.id, theirs.id);
            if ![
                "password_tokens",
                "recovery_codes",
                "api_clients",
                "audit_seals",
                "audit_retention_seals",
            ]
            .contains(&table)
            {
                assert!(own > 0, "{table}: own rows visible");
            }
        }
    }
    // The setting is transaction-local: nothing leaks to the connection's next user.
    let after: Count = diesel::sql_query("SELECT count(*) AS count FROM users")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(after.count, 0);
}

#[tokio::test]
async fn the_runtime_role_cannot_write_into_another_tenant_or_bypass_the_policy() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let mut conn = app.runtime_role().await;
    let result = conn
        .transaction(async |conn| {
            polku::db::set_organisation(conn, a.id).await?;
            conn.batch_execute(&format!(
                "INSERT INTO units (id, organisation_id, name) VALUES (gen_random_uuid(), '{}', 'Soluttautuja')",
                b.id
            ))
            .await
        })
        .await;
    assert!(
        result.is_err(),
        "an insert into another tenant violates the policy"
    );
    let mut conn = app.runtime_role().await;
    assert!(
        conn.batch_execute("SET row_security = off; SELECT * FROM users")
            .await
            .is_err()
    );
    let mut conn = app.runtime_role().await;
    assert!(
        conn.batch_execute("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn audit_events_are_append_only_for_the_runtime_role() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    app.session(&app.user(&org, &[Role::Coach]).await).await;
    for statement in [
        "UPDATE audit_events SET action = 'nothing'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let mut conn = app.runtime_role().await;
        let result = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, org.id).await?;
                conn.batch_execute(statement).await
            })
            .await;
        assert!(result.is_err(), "{statement}");
    }
    // Even the owner's trigger refuses changes.
    let mut db = app.superuser().await;
    assert!(
        db.batch_execute("UPDATE audit_events SET action = 'nothing'")
            .await
            .is_err()
    );
}

/// Every endpoint that takes an id, asked by organisation B's admin about organisation A's
/// object, answers 404 exactly like a missing id — and A's object is unchanged.
#[tokio::test]
async fn another_organisations_objects_are_404_and_never_listed() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let a_admin = app.sign_in(&a, &[Role::Admin]).await;
    let a_user = app.user(&a, &[Role::Coach]).await;
    let a_session = app.session(&a_user).await;
    let b_admin = app.sign_in(&b, &[Role::Admin]).await;

    let user = a_user.id;
    let unit = a.unit_id;
    let missing = uuid::Uuid::now_v7();
    let probes: Vec<(Method, String, Value)> = vec![
        (Method::GET, format!("/api/v1/admin/users/{user}"), json!(null)),
        (
            Method::PATCH,
            format!("/api/v1/admin/users/{user}"),
            json!({"display_name": "Kaapattu"}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/deactivate"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/end-sessions"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/password-link"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{user}/reset-mfa"),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/units/{unit}"),
            json!({"name": "Kaapattu"}),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/units/{unit}/close"),
            json!({}),
        ),
    ];
    for (method, path, body) in &probes {
        let foreign = b_admin.send(method.clone(), path, body).await;
        let absent_path = path
            .replace(&user.to_string(), &missing.to_string())
            .replace(&unit.to_string(), &missing.to_string());
        let absent = b_admin.send(method.clone(), &absent_path, body).await;
        assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(
            foreign, absent,
            "{method} {path}: foreign and missing look the same"
        );
    }
    // B's admin cannot put A's unit on B's user either.
    let (status, _) = b_admin
        .post(
            "/api/v1/admin/users",
            &json!({"email": "b@b.test", "display_name": "B", "roles": ["coach"], "unit_ids": [unit]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing of A's in B's lists.
    for path in [
        "/api/v1/admin/users?limit=200",
        "/api/v1/units?include_closed=true",
    ] {
        let (status, page) = b_admin.get(path).await;
        assert_eq!(status, StatusCode::OK);
        let text = page.to_string();
        assert!(
            !text.contains(&a_user.id.to_string()) && !text.contains(&a.unit_id.to_string()),
            "{path}: {text}"
        );
    }
    // A's things are untouched.
    assert_eq!(
        app.get_as(&a_session.access_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );
    let (_, a_user_now) = a_admin.get(&format!("/api/v1/admin/users/{user}")).await;
    assert_eq!(a_user_now["display_name"], "Testi Käyttäjä");
    let (_, units) = a_admin.get("/api/v1/units").await;
    assert_eq!(units["items"].as_array().unwrap().len(), 2);
}

/// One record of every kind of client data, made through the API.
async fn client_records(app: &TestApp, token: &str, org: &polku_tests::fixtures::Org) {
    use reqwest::Method;
    let client = app.client(token, org.unit_id, "Vuokralainen").await;
    let post = |path: String, body: serde_json::Value| async move {
        let (status, body) = app.send_as(token, Method::POST, &path, &body).await;
        assert!(status.is_success(), "{path}: {body}");
        body["id"].as_str().map(str::to_owned).unwrap_or_default()
    };
    post(
        format!("/api/v1/clients/{client}/history"),
        serde_json::json!({"kind": "work", "occupation": "Kokki"}),
    )
    .await;
    let consent = post(
        format!("/api/v1/clients/{client}/consents"),
        serde_json::json!({"kind": "processing", "given_how": "written"}),
    )
    .await;
    post(
        format!("/api/v1/clients/{client}/consents/{consent}/withdraw"),
        serde_json::json!({"requested_how": "written"}),
    )
    .await;
    let period = post(
        format!("/api/v1/clients/{client}/periods"),
        serde_json::json!({"service_type": "ktt", "starts_on": "2026-01-05", "unit_id": org.unit_id}),
    )
    .await;
    let pp = format!("/api/v1/periods/{period}");
    let goal = post(format!("{pp}/goals"), serde_json::json!({"title": "Tavoite"})).await;
    post(
        format!("{pp}/goals/{goal}/follow-ups"),
        serde_json::json!({"note": "Hyvin"}),
    )
    .await;
    post(format!("{pp}/diary"), serde_json::json!({"body": "Päivä"})).await;
    post(
        format!("{pp}/agreements"),
        serde_json::json!({"kind": "activity"}),
    )
    .await;
    post(format!("{pp}/reports"), serde_json::json!({"kind": "interim"})).await;
    let group = post(
        "/api/v1/attendance-groups".to_owned(),
        serde_json::json!({"unit_id": org.unit_id, "name": "Aamuryhmä", "period_ids": [period]}),
    )
    .await;
    let (status, day) = app
        .send_as(
            token,
            Method::PUT,
            &format!("/api/v1/attendance/{group}/2026-01-05"),
            &serde_json::json!({"entries": [{"period_id": period, "status": "present", "hours": 5}]}),
        )
        .await;
    assert!(status.is_success(), "{day}");
    let (_, instruments) = app.get_as(token, "/api/v1/assessment-instruments").await;
    let scores: Vec<serde_json::Value> = instruments[0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!({"criterion_id": c["id"], "score": 3}))
        .collect();
    post(
        format!("{pp}/assessments"),
        serde_json::json!({"instrument_id": instruments[0]["id"], "scores": scores}),
    )
    .await;
    let (status, _) = app
        .send_as(
            token,
            Method::PATCH,
            &format!("/api/v1/clients/{client}"),
            &serde_json::json!({"profession": "Kokki"}),
        )
        .await;
    assert!(status.is_success());
}

/// Login names stay unique across organisations, but an admin who tries another
/// organisation's login name learns nothing of it: the request is judged as if the name
/// were free, and a taken name fails it with the same neutral answer as a name taken in
/// the admin's own organisation. Nothing is created.
#[tokio::test]
async fn an_admin_learns_nothing_of_a_login_name_in_another_organisation() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let a_user = app.user(&a, &[Role::Coach]).await;
    let b_user = app.user(&b, &[Role::Coach]).await;
    let b_admin = app.sign_in(&b, &[Role::Admin]).await;
    let create = |email: &str, unit: uuid::Uuid| json!({"email": email, "display_name": "Uusi", "roles": ["coach"], "unit_ids": [unit]});
    let missing_unit = uuid::Uuid::now_v7();

    // Another mistake in the request: the same answer as for a free name.
    let free = b_admin
        .post("/api/v1/admin/users", &create("vapaa@b.test", missing_unit))
        .await;
    assert_eq!(free.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", free.1);
    let foreign = b_admin
        .post("/api/v1/admin/users", &create(&a_user.email, missing_unit))
        .await;
    assert_eq!(foreign, free, "another organisation's name judged as if free");

    // Otherwise valid: refused with the answer a name of B's own gets.
    let foreign = b_admin
        .post("/api/v1/admin/users", &create(&a_user.email, b.unit_id))
        .await;
    let own = b_admin
        .post("/api/v1/admin/users", &create(&b_user.email, b.unit_id))
        .await;
    assert_eq!(foreign.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", foreign.1);
    assert_eq!(foreign.1["errors"][0]["field"], "email");
    assert_eq!(foreign, own, "the same answer for a foreign and an own name");
    let text = foreign.1.to_string().to_lowercase();
    for secret in [
        a.id.to_string(),
        a_user.id.to_string(),
        "kunta a".to_owned(),
        "organisation".to_owned(),
        "account".to_owned(),
        "already".to_owned(),
    ] {
        assert!(!text.contains(&secret), "{secret} in {text}");
    }

    // Nothing created in B; A's user is untouched and still signs in.
    let (_, users) = b_admin.get("/api/v1/admin/users?limit=200").await;
    assert!(!users.to_string().contains(&a_user.email), "{users}");
    app.session(&a_user).await;
}
