//! Database access: how every connection is made (TLS as the URL asks, session limits),
//! the runtime pool, migrations, role bootstrap and readiness.
//!
//! Two roles keep the application honest: `polku_owner` owns the schema and runs
//! migrations; `polku_app` is what requests run as, with only the grants the migrations
//! give it (so row-level security and append-only tables hold even against the app).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use diesel::migration::MigrationSource;
use diesel::sql_types::Text;
use diesel::{QueryableByName, sql_query};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool, PoolError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{
    AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection, TransactionManager,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use crate::error::ApiError;

mod tls;

/// The migrations in `backend/migrations`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Role that owns the schema and runs migrations.
pub const OWNER_ROLE: &str = "polku_owner";
/// Role the application runs as.
pub const APP_ROLE: &str = "polku_app";
/// The role that owns the login directory's functions (no login; the owner is a member
/// so that migrations can hand it the functions).
pub const DIRECTORY_ROLE: &str = "polku_directory";
/// Role that owns the access log's sealing functions (never logs in; see
/// `audit::chain`).
pub const SEALER_ROLE: &str = "polku_sealer";

/// Advisory lock key held while migrating ("polku" in ASCII).
const MIGRATION_LOCK: i64 = 0x0070_6f6c_6b75;

/// Pool of runtime connections (each acting as [`APP_ROLE`]).
pub type DbPool = Pool<AsyncPgConnection>;
/// A connection checked out of the pool.
pub type DbConn = Object<AsyncPgConnection>;

/// Where the database is and how to reach it as each role.
#[derive(Debug, Clone)]
pub struct DatabaseUrls {
    /// Connects as (or can `SET ROLE` to) the owner role; used for migrations.
    pub owner: SecretString,
    /// Connects as (or can `SET ROLE` to) the runtime role; used for requests.
    pub app: SecretString,
}

/// Limits every database session sets for itself, so that a stuck client, a lost
/// transaction or a runaway query cannot hold a connection (and its locks) for long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// `statement_timeout`: longest a statement may run (zero: no limit).
    pub statement_timeout: Duration,
    /// `idle_in_transaction_session_timeout`: longest a session may sit idle inside a
    /// transaction before PostgreSQL ends it (zero: no limit).
    pub idle_in_transaction_timeout: Duration,
}

impl SessionLimits {
    /// `url` with these limits as session settings in its `options` parameter. Options
    /// the URL already has come after them, so a setting given there wins.
    pub fn apply(&self, url: &SecretString) -> anyhow::Result<SecretString> {
        let mut parsed =
            url::Url::parse(url.expose_secret()).context("The database URL must be a postgres:// URL")?;
        let limits = format!(
            "-c statement_timeout={} -c idle_in_transaction_session_timeout={}",
            self.statement_timeout.as_millis(),
            self.idle_in_transaction_timeout.as_millis()
        );
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut options = limits;
        for (key, value) in parsed.query_pairs() {
            if key == "options" {
                options = format!("{options} {value}");
            } else {
                pairs.push((key.into_owned(), value.into_owned()));
            }
        }
        pairs.push(("options".to_owned(), options));
        tls::set_query(&mut parsed, &pairs);
        Ok(SecretString::from(parsed.to_string()))
    }
}

impl DatabaseUrls {
    /// Both URLs with `limits` set on every session they open.
    pub fn with_limits(&self, limits: SessionLimits) -> anyhow::Result<Self> {
        Ok(Self {
            owner: limits.apply(&self.owner)?,
            app: limits.apply(&self.app)?,
        })
    }
}

/// Opens a connection to `url`, with TLS when the URL's `sslmode` asks for it
/// (`require`, `verify-ca`, `verify-full`; `sslrootcert` names the CA file). Every
/// connection Polku makes goes through here.
pub async fn establish(url: &str) -> diesel::ConnectionResult<AsyncPgConnection> {
    let target = tls::Target::parse(url)?;
    let refused = |error: tokio_postgres::Error| {
        // The cause (e.g. the certificate error) is in the source chain.
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        diesel::ConnectionError::BadConnection(message)
    };
    match target.tls {
        None => {
            let (client, connection) = target
                .config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(refused)?;
            AsyncPgConnection::try_from_client_and_connection(client, connection).await
        }
        Some(tls) => {
            let (client, connection) = target
                .config
                .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
                .await
                .map_err(refused)?;
            AsyncPgConnection::try_from_client_and_connection(client, connection).await
        }
    }
}

/// Builds the runtime pool. Connections are made lazily, so the server starts (and
/// answers 503) while the database is down, and recovers when it returns.
pub fn build_pool(url: &SecretString, max_size: usize, timeout: Duration) -> anyhow::Result<DbPool> {
    let mut config = ManagerConfig::default();
    // A closed connection is detected by `is_broken` and replaced, so a database restart
    // costs no extra query per checkout.
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(establish_as_app);
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url.expose_secret(), config);
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .build()
        .context("Failed to build the database pool")
}

/// One connection acting as the runtime role (operator commands).
pub async fn connect_as_app(url: &SecretString) -> anyhow::Result<AsyncPgConnection> {
    establish_as_app(url.expose_secret())
        .await
        .context("Failed to connect to the database")
}

/// A connection acting as the owner role (for maintenance the runtime role may not do).
pub async fn connect_as_owner(url: &SecretString) -> anyhow::Result<AsyncPgConnection> {
    let mut conn = establish(url.expose_secret())
        .await
        .context("Failed to connect to the database as the owner")?;
    conn.batch_execute(&format!("SET ROLE {OWNER_ROLE}"))
        .await
        .with_context(|| format!("Failed to act as role {OWNER_ROLE}"))?;
    Ok(conn)
}

fn establish_as_app(url: &str) -> BoxFuture<'_, diesel::ConnectionResult<AsyncPgConnection>> {
    async move {
        let mut conn = establish(url).await?;
        conn.batch_execute(&format!("SET ROLE {APP_ROLE}"))
            .await
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    }
    .boxed()
}

/// Checks a connection out of the pool; failure to get one is a 503.
pub async fn connection(pool: &DbPool) -> Result<DbConn, ApiError> {
    pool.get().await.map_err(|error| match error {
        PoolError::Backend(error) => ApiError::DatabaseUnavailable(error.to_string()),
        other => ApiError::DatabaseUnavailable(other.to_string()),
    })
}

/// Runs `work` in one transaction on a pooled connection, with the tenant set to
/// `organisation` for row-level security (transaction-local, so it can never leak to
/// the next user of the connection). `None` runs without a tenant: tenant tables then
/// show no rows at all. The one way handlers reach the database. (The per-request session
/// check is the one exception: a single statement, `polku_live_session`, that sets the
/// tenant for its own implicit transaction, to save the request a BEGIN and a COMMIT.)
pub async fn transaction<T, F>(pool: &DbPool, organisation: Option<Uuid>, work: F) -> Result<T, ApiError>
where
    F: for<'r> FnOnce(&'r mut AsyncPgConnection) -> BoxFuture<'r, Result<T, ApiError>> + Send,
    T: Send,
{
    // The request's authentication may already have begun this tenant's transaction
    // (checking the session in it); the work continues it.
    let mut conn = match organisation.and_then(take_begun) {
        Some(conn) => conn,
        None => {
            let mut conn = connection(pool).await?;
            // BEGIN and the tenant setting travel in one round trip (a UUID is safe to
            // inline).
            match organisation {
                Some(organisation) => {
                    let begin =
                        format!("BEGIN; SELECT set_config('polku.organisation_id', '{organisation}', true)");
                    AnsiTransactionManager::begin_transaction_sql(&mut *conn, &begin).await?;
                }
                None => AnsiTransactionManager::begin_transaction(&mut *conn).await?,
            }
            conn
        }
    };
    let conn: &mut AsyncPgConnection = &mut conn;
    match work(conn).await {
        Ok(value) => match AnsiTransactionManager::commit_transaction(conn).await {
            Ok(()) => Ok(value),
            Err(error) => {
                // A failed COMMIT (e.g. a serialization failure) leaves the transaction to
                // roll back; the connection's state is then checked again on recycle.
                let _ = AnsiTransactionManager::rollback_transaction(conn).await;
                Err(error.into())
            }
        },
        Err(error) => {
            // Should the rollback fail too, the pool discards the connection (it is still
            // in a transaction); the caller gets the original error.
            let _ = AnsiTransactionManager::rollback_transaction(conn).await;
            Err(error)
        }
    }
}

/// A transaction the request's authentication began, waiting for the handler's work.
struct Begun {
    organisation: Uuid,
    conn: DbConn,
}

tokio::task_local! {
    static BEGUN: RefCell<Option<Begun>>;
}

/// Runs one request so that its authentication can begin the transaction its handler
/// then continues: the session check and the work share a transaction and a connection
/// (one statement fewer, and no transaction of its own for the check). A transaction the
/// handler never took (an early error) is rolled back before its connection goes back to
/// the pool.
pub async fn request_scope<F: Future>(request: F) -> F::Output {
    BEGUN
        .scope(RefCell::new(None), async move {
            let output = request.await;
            let left = BEGUN.with(|slot| slot.borrow_mut().take());
            if let Some(mut begun) = left {
                // If even this fails, the pool sees the open transaction and discards
                // the connection.
                let _ = AnsiTransactionManager::rollback_transaction(&mut *begun.conn).await;
            }
            output
        })
        .await
}

/// Whether this task runs inside [`request_scope`].
pub fn in_request_scope() -> bool {
    BEGUN.try_with(|_| ()).is_ok()
}

/// Hands a connection in a begun transaction, with `organisation` set as its tenant, to
/// the request's first [`transaction`] for that organisation.
pub fn hand_over(organisation: Uuid, conn: DbConn) {
    let _ = BEGUN.try_with(|slot| {
        *slot.borrow_mut() = Some(Begun { organisation, conn });
    });
}

fn take_begun(organisation: Uuid) -> Option<DbConn> {
    BEGUN
        .try_with(|slot| {
            let mut slot = slot.borrow_mut();
            match slot.as_ref() {
                Some(begun) if begun.organisation == organisation => slot.take().map(|begun| begun.conn),
                _ => None,
            }
        })
        .ok()
        .flatten()
}

/// Sets the tenant of the current transaction.
pub async fn set_organisation(conn: &mut AsyncPgConnection, organisation: Uuid) -> diesel::QueryResult<()> {
    sql_query("SELECT set_config('polku.organisation_id', $1, true)")
        .bind::<Text, _>(organisation.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// Runs pending migrations as the owner role. Returns the versions applied now.
pub async fn run_migrations(owner_url: &SecretString) -> anyhow::Result<Vec<String>> {
    let conn = establish(owner_url.expose_secret())
        .await
        .context("Failed to connect to the database for migrations")?;
    // diesel's migration harness is synchronous; run it on a blocking thread with the
    // async connection wrapped for it.
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        use diesel::connection::SimpleConnection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        SimpleConnection::batch_execute(&mut conn, &format!("SET ROLE {OWNER_ROLE}"))
            .with_context(|| format!("Failed to act as role {OWNER_ROLE}; see README (database roles)"))?;
        // A migration may rewrite a large table: the session limits are for requests.
        SimpleConnection::batch_execute(&mut conn, "SET statement_timeout = 0")
            .context("Failed to lift the statement timeout for migrations")?;
        // Instances starting together take turns; the lock ends with the connection.
        SimpleConnection::batch_execute(&mut conn, &format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            .context("Failed to take the migration lock")?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|error| anyhow::anyhow!("Failed to run migrations: {error}"))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
    .context("Migration task failed")?
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version: String,
}

/// Whether every embedded migration has been applied to the database.
pub async fn is_migrated(conn: &mut AsyncPgConnection) -> diesel::QueryResult<bool> {
    let applied: BTreeSet<String> = sql_query("SELECT version FROM __diesel_schema_migrations")
        .load::<VersionRow>(conn)
        .await?
        .into_iter()
        .map(|row| row.version)
        .collect();
    let expected = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map_err(diesel::result::Error::QueryBuilderError)?;
    Ok(expected
        .iter()
        .all(|migration| applied.contains(&migration.name().version().to_string())))
}

/// Creates the owner, runtime, directory and sealer roles if they do not exist (the owner
/// is a member of the last two, to hand them their functions). Needs a superuser (or
/// CREATEROLE) connection; used for the embedded cluster and the test harness.
pub async fn ensure_roles(superuser: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    superuser
        .batch_execute(&format!(
            "DO $$ BEGIN
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
                 CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
               END IF;
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                 CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
               END IF;
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DIRECTORY_ROLE}') THEN
                 CREATE ROLE {DIRECTORY_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
               END IF;
               IF NOT pg_has_role('{OWNER_ROLE}', '{DIRECTORY_ROLE}', 'MEMBER') THEN
                 GRANT {DIRECTORY_ROLE} TO {OWNER_ROLE};
               END IF;
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SEALER_ROLE}') THEN
                 CREATE ROLE {SEALER_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
               END IF;
               IF NOT pg_has_role('{OWNER_ROLE}', '{SEALER_ROLE}', 'MEMBER') THEN
                 GRANT {SEALER_ROLE} TO {OWNER_ROLE};
               END IF;
             END $$;"
        ))
        .await
}

/// Creates database `name` owned by the owner role, reachable by the runtime role.
pub async fn create_database(
    superuser: &mut AsyncPgConnection,
    name: &str,
    template: Option<&str>,
) -> diesel::QueryResult<()> {
    let template = template.map(|t| format!(" TEMPLATE \"{t}\"")).unwrap_or_default();
    // One statement each: CREATE DATABASE cannot run in the implicit transaction of a
    // multi-statement query.
    superuser
        .batch_execute(&format!(
            "CREATE DATABASE \"{name}\" OWNER {OWNER_ROLE}{template}"
        ))
        .await?;
    superuser
        .batch_execute(&format!("REVOKE ALL ON DATABASE \"{name}\" FROM PUBLIC"))
        .await?;
    superuser
        .batch_execute(&format!("GRANT CONNECT ON DATABASE \"{name}\" TO {APP_ROLE}"))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_limits_come_before_the_urls_own_options() {
        let limits = SessionLimits {
            statement_timeout: Duration::from_secs(30),
            idle_in_transaction_timeout: Duration::from_secs(10),
        };
        let url = SecretString::from(
            "postgresql://polku_app@localhost:5432/polku?host=%2Ftmp%2Frun&options=-c%20work_mem%3D8MB"
                .to_owned(),
        );
        let applied = limits.apply(&url).unwrap();
        let config: tokio_postgres::Config = applied.expose_secret().parse().unwrap();
        assert_eq!(
            config.get_options(),
            Some("-c statement_timeout=30000 -c idle_in_transaction_session_timeout=10000 -c work_mem=8MB")
        );
        assert_eq!(config.get_user(), Some("polku_app"));
    }
}
