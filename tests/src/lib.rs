//! Test harness: the real Polku server on a random port, against a fresh database cloned
//! from a migrated template, dropped when the test ends.
//!
//! With `DATABASE_URL` (a superuser URL) the databases are made there; without it, the
//! harness starts a throwaway PostgreSQL with Polku's own embedded module, once per test
//! process, and a watchdog stops it when the process exits.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use polku::config::Settings;
use polku::db;
use polku::embedded::{EmbeddedOptions, EmbeddedPostgres};
use polku::startup::{Application, ExtraRoutes};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub mod caller;
pub mod fixtures;
pub mod probe;
pub mod world;

/// The cluster every test of this process uses.
struct SharedCluster {
    /// Superuser URL, any database.
    admin: Url,
    /// Template database with every migration applied.
    template: String,
}

static SHARED: OnceLock<SharedCluster> = OnceLock::new();

fn shared() -> &'static SharedCluster {
    SHARED.get_or_init(|| {
        // Own thread and runtime: the cluster outlives the test that happened to start it.
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async {
                let admin = match std::env::var("DATABASE_URL") {
                    Ok(url) => Url::parse(&url).expect("DATABASE_URL is not a URL"),
                    Err(_) => start_throwaway_cluster().await,
                };
                let template = ensure_template(&admin).await.expect("template database");
                SharedCluster { admin, template }
            })
        })
        .join()
        .expect("cluster start-up panicked")
    })
}

/// A throwaway cluster in /tmp, stopped and removed by a watchdog once this process ends
/// (however it ends: statics are never dropped, and a panic must not leak a postgres).
async fn start_throwaway_cluster() -> Url {
    let dir = tempfile::Builder::new()
        .prefix("polku-test-pg-")
        .tempdir()
        .expect("tempdir")
        .keep();
    let cluster = EmbeddedPostgres::start(&dir, &embedded_options())
        .await
        .expect("throwaway PostgreSQL");
    let url = Url::parse(cluster.superuser_url("postgres").expose_secret()).expect("url");
    let pg_pid = cluster.pid().expect("postgres pid");
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 0.2; done; kill -INT {pg_pid}; \
         while kill -0 {pg_pid} 2>/dev/null; do sleep 0.1; done; rm -rf '{dir}'",
        me = std::process::id(),
        dir = dir.display()
    );
    #[expect(
        clippy::zombie_processes,
        reason = "the watchdog outlives this process on purpose"
    )]
    std::process::Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("watchdog");
    // Ownership now rests with the watchdog.
    std::mem::forget(cluster);
    url
}

/// How the harness runs PostgreSQL (the binaries found on the machine).
pub fn embedded_options() -> EmbeddedOptions {
    let defaults = Settings::default();
    EmbeddedOptions {
        bin_dir: defaults.postgres_bin_dir,
        os_user: defaults.postgres_os_user,
    }
}

fn with_database(url: &Url, database: &str) -> SecretString {
    let mut url = url.clone();
    url.set_path(&format!("/{database}"));
    SecretString::from(url.to_string())
}

async fn admin_connection(admin: &Url) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(with_database(admin, "postgres").expose_secret())
        .await
        .context("Failed to connect as superuser")
}

/// Creates (once per set of migrations) a database with every migration applied; tests
/// clone it, which is much faster than migrating each one.
async fn ensure_template(admin: &Url) -> anyhow::Result<String> {
    use diesel::migration::MigrationSource;
    let versions: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&db::MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let name = format!(
        "polku_template_{}_{}",
        versions.len(),
        versions.last().cloned().unwrap_or_default()
    );
    let mut conn = admin_connection(admin).await?;
    db::ensure_roles(&mut conn).await?;
    // Parallel test processes sharing one DATABASE_URL take turns here.
    conn.batch_execute("SELECT pg_advisory_lock(7350001)").await?;
    let exists = database_exists(&mut conn, &name).await?;
    if !exists {
        let building = format!("{name}_building");
        conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{building}\""))
            .await?;
        db::create_database(&mut conn, &building, None).await?;
        db::run_migrations(&with_database(admin, &building)).await?;
        conn.batch_execute(&format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\""))
            .await?;
    }
    conn.batch_execute("SELECT pg_advisory_unlock(7350001)").await?;
    Ok(name)
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> anyhow::Result<bool> {
    use diesel::QueryableByName;
    use diesel_async::RunQueryDsl;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let row: Row = diesel::sql_query("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result(conn)
        .await?;
    Ok(row.exists)
}

/// Where the database of a [`TestApp`] lives.
enum Backing {
    /// A database cloned from the template in the shared cluster; dropped afterwards.
    Cloned { admin: Url, database: String },
    /// Another instance's database: nothing to drop.
    Shared,
    /// A private cluster the test may stop and start.
    Private {
        dir: tempfile::TempDir,
        cluster: Option<EmbeddedPostgres>,
    },
}

/// A running Polku for one test.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// HTTP client (no redirects, no cookies shared between apps).
    pub client: reqwest::Client,
    /// Directory the SPA is served from (a small fixture build).
    pub frontend_dir: PathBuf,
    /// URL of the app's database as a superuser (for direct checks and fixtures).
    pub owner_url: SecretString,
    /// URL the app's pool uses (acting as the runtime role).
    pub app_url: SecretString,
    /// The token signing secret (shared by instances on one database).
    pub token_secret: String,
    /// The encryption key, base64 (shared by instances on one database).
    pub encryption_key: String,
    backing: Backing,
    _frontend: tempfile::TempDir,
}

impl TestApp {
    /// A server on a fresh database cloned from the migrated template.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Like [`TestApp::spawn`], with settings changed by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let shared = shared();
        let database = format!("polku_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = admin_connection(&shared.admin).await.expect("admin connection");
        db::create_database(&mut conn, &database, Some(&shared.template))
            .await
            .expect("test database");
        let url = with_database(&shared.admin, &database);
        let backing = Backing::Cloned {
            admin: shared.admin.clone(),
            database,
        };
        Self::start_configured(url.clone(), url, backing, configure).await
    }

    /// A server on its own PostgreSQL cluster, which the test can stop and restart.
    pub async fn spawn_with_private_cluster() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("polku-test-private-")
            .tempdir()
            .expect("tempdir");
        let cluster = EmbeddedPostgres::start(dir.path(), &embedded_options())
            .await
            .expect("private cluster");
        let urls = cluster.urls();
        db::run_migrations(&urls.owner).await.expect("migrations");
        Self::start(
            urls.owner,
            urls.app,
            Backing::Private {
                dir,
                cluster: Some(cluster),
            },
        )
        .await
    }

    /// A server on a database the test provides (e.g. a cluster it started itself),
    /// reached through these URLs; the database must be migrated.
    pub async fn spawn_on(owner_url: SecretString, app_url: SecretString) -> Self {
        Self::start(owner_url, app_url, Backing::Shared).await
    }

    /// A second server on this server's database and token key (as behind a load balancer).
    pub async fn another_instance(&self) -> Self {
        Self::start_with_secret(
            self.owner_url.clone(),
            self.app_url.clone(),
            Backing::Shared,
            (self.token_secret.clone(), self.encryption_key.clone()),
            |_| {},
        )
        .await
    }

    async fn start(owner_url: SecretString, app_url: SecretString, backing: Backing) -> Self {
        Self::start_configured(owner_url, app_url, backing, |_| {}).await
    }

    async fn start_configured(
        owner_url: SecretString,
        app_url: SecretString,
        backing: Backing,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        use base64::Engine;
        let secret = format!("test-secret-{}", uuid::Uuid::new_v4().simple());
        let key = base64::engine::general_purpose::STANDARD.encode(uuid::Uuid::new_v4().as_bytes().repeat(2));
        Self::start_with_secret(owner_url, app_url, backing, (secret, key), configure).await
    }

    async fn start_with_secret(
        owner_url: SecretString,
        app_url: SecretString,
        backing: Backing,
        (token_secret, encryption_key): (String, String),
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        polku::telemetry::init(&Settings {
            log: "error".to_owned(),
            ..Settings::default()
        });
        let frontend = fixture_frontend().expect("frontend fixture");
        // As `polku serve` does: every connection of the app carries the session limits.
        let app_url = Settings::default()
            .session_limits()
            .apply(&app_url)
            .expect("session limits");
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse().expect("address"),
            data_dir: frontend.path().join("data"),
            frontend_dir: frontend.path().to_owned(),
            workers: 1,
            db_timeout_secs: 2,
            shutdown_timeout_secs: 1,
            json_limit_bytes: probe::JSON_LIMIT,
            token_secret: Some(SecretString::from(token_secret.clone())),
            encryption_key: Some(SecretString::from(encryption_key.clone())),
            ..Settings::default()
        };
        configure(&mut settings);
        let pool = db::build_pool(&app_url, 4, Duration::from_secs(2)).expect("pool");
        let extra: ExtraRoutes = probe::configure;
        let app = Application::build_with(settings, pool, extra).expect("application");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.into_server());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            address,
            client,
            frontend_dir: frontend.path().to_owned(),
            owner_url,
            app_url,
            token_secret,
            encryption_key,
            backing,
            _frontend: frontend,
        }
    }

    /// `GET` a path of this server.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request")
    }

    /// A request builder for any method and path of this server.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.address))
    }

    /// Stops the private cluster (only for [`TestApp::spawn_with_private_cluster`]).
    pub fn stop_database(&mut self) {
        if let Backing::Private { cluster, .. } = &mut self.backing {
            cluster.take().expect("cluster is running").stop().expect("stop");
        } else {
            panic!("stop_database needs spawn_with_private_cluster");
        }
    }

    /// Starts the private cluster again on the same data.
    pub async fn start_database(&mut self) {
        if let Backing::Private { cluster, dir } = &mut self.backing {
            *cluster = Some(
                EmbeddedPostgres::start(dir.path(), &embedded_options())
                    .await
                    .expect("restart"),
            );
        } else {
            panic!("start_database needs spawn_with_private_cluster");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Backing::Cloned { admin, database } = &self.backing {
            let (admin, database) = (admin.clone(), database.clone());
            // Drop runs outside async; a short-lived runtime on its own thread does the I/O.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let mut conn = admin_connection(&admin).await?;
                    conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"))
                        .await?;
                    anyhow::Ok(())
                })
            })
            .join();
        }
    }
}

/// A minimal built SPA: `index.html` and one hashed asset.
fn fixture_frontend() -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    write(
        dir.path(),
        "index.html",
        "<!doctype html><html lang=\"fi\"><title>Polku</title><div id=\"root\"></div><script type=\"module\" src=\"/assets/index-abc123.js\"></script></html>",
    )?;
    std::fs::create_dir(dir.path().join("assets"))?;
    write(dir.path(), "assets/index-abc123.js", "console.log('polku');")?;
    Ok(dir)
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    std::fs::write(dir.join(name), text).with_context(|| format!("writing {name}"))
}
