//! The runtime role has only what the migrations grant it; the owner owns everything.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use polku_tests::TestApp;
use secrecy::ExposeSecret;

#[derive(QueryableByName)]
struct Flags {
    #[diesel(sql_type = Bool)]
    rolsuper: bool,
    #[diesel(sql_type = Bool)]
    rolbypassrls: bool,
    #[diesel(sql_type = Bool)]
    rolcreaterole: bool,
    #[diesel(sql_type = Bool)]
    rolcreatedb: bool,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn as_app_role(app: &TestApp) -> AsyncPgConnection {
    let mut conn = AsyncPgConnection::establish(app.owner_url.expose_secret())
        .await
        .unwrap();
    conn.batch_execute("SET ROLE polku_app").await.unwrap();
    conn
}

#[tokio::test]
async fn runtime_role_is_unprivileged() {
    let app = TestApp::spawn().await;
    let mut conn = as_app_role(&app).await;
    let flags: Flags = diesel::sql_query(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert!(!flags.rolsuper && !flags.rolbypassrls && !flags.rolcreaterole && !flags.rolcreatedb);
}

#[tokio::test]
async fn runtime_role_cannot_change_the_schema() {
    let app = TestApp::spawn().await;
    let mut conn = as_app_role(&app).await;
    assert!(conn.batch_execute("CREATE TABLE sneaky (id int)").await.is_err());
    let mut conn = as_app_role(&app).await;
    assert!(
        conn.batch_execute("DROP TABLE __diesel_schema_migrations")
            .await
            .is_err()
    );
    let mut conn = as_app_role(&app).await;
    assert!(
        conn.batch_execute("DELETE FROM __diesel_schema_migrations")
            .await
            .is_err()
    );
    let mut conn = as_app_role(&app).await;
    // Reading the applied migrations (for /readyz) is all it may do there.
    conn.batch_execute("SELECT version FROM __diesel_schema_migrations")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_owner_role_owns_every_table_and_function() {
    let app = TestApp::spawn().await;
    let mut conn = AsyncPgConnection::establish(app.owner_url.expose_secret())
        .await
        .unwrap();
    let foreign: Count = diesel::sql_query(
        "SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> 'polku_owner'",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(foreign.count, 0);
    let tables: Count = diesel::sql_query(
        "SELECT count(*) AS count FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'polku_owner'",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert!(tables.count >= 1);
}
