//! The `polku` command line: `serve`, `migrate`, `openapi`.

use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::SecretString;

use crate::config::Settings;
use crate::db::{self, DatabaseUrls};
use crate::embedded::{EmbeddedOptions, EmbeddedPostgres};
use crate::http::Application;

/// Polku client management system.
#[derive(Debug, Parser)]
#[command(name = "polku", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve the API and the web app.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) to stdout.
    Openapi,
}

impl Cli {
    /// Runs the chosen command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Openapi => print_openapi(),
            Command::Serve => {
                let settings = Settings::load()?;
                crate::telemetry::init(&settings);
                serve(settings).await
            }
            Command::Migrate => {
                let settings = Settings::load()?;
                crate::telemetry::init(&settings);
                let database = Database::open(&settings).await?;
                let applied = db::run_migrations(&database.urls.owner).await?;
                tracing::info!(count = applied.len(), "migrations applied");
                database.close()
            }
        }
    }
}

#[expect(clippy::print_stdout, reason = "the spec is this command's output")]
fn print_openapi() -> anyhow::Result<()> {
    let json = crate::openapi::spec()
        .to_pretty_json()
        .context("Failed to render the OpenAPI document")?;
    println!("{json}");
    Ok(())
}

/// The configured database, or the embedded one started for this process.
#[derive(Debug)]
pub struct Database {
    /// How to connect as each role.
    pub urls: DatabaseUrls,
    embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Uses `DATABASE_URL` (and `POLKU_APP_DATABASE_URL`) when set, else starts the
    /// embedded cluster in the data directory.
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.database_url {
            Some(owner) => Ok(Self {
                urls: DatabaseUrls {
                    owner: owner.clone(),
                    app: settings
                        .app_database_url
                        .clone()
                        .unwrap_or_else(|| SecretString::clone(owner)),
                },
                embedded: None,
            }),
            None => {
                let options = EmbeddedOptions {
                    bin_dir: settings.postgres_bin_dir.clone(),
                    os_user: settings.postgres_os_user.clone(),
                };
                let cluster = EmbeddedPostgres::start(&settings.data_dir, &options).await?;
                Ok(Self {
                    urls: cluster.urls(),
                    embedded: Some(cluster),
                })
            }
        }
    }

    /// Stops the embedded cluster, if this process started one.
    pub fn close(self) -> anyhow::Result<()> {
        match self.embedded {
            Some(cluster) => cluster.stop(),
            None => Ok(()),
        }
    }
}

#[expect(clippy::print_stdout, reason = "tells the operator where to go")]
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        let applied = db::run_migrations(&database.urls.owner).await?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        let pool = db::build_pool(
            &database.urls.app,
            settings.db_pool_size,
            Duration::from_secs(settings.db_timeout_secs),
        )?;
        let listen = settings.listen;
        let app = Application::build(settings, pool)?;
        let url = format!("http://{}:{}", listen.ip(), app.port());
        println!("Polku is running at {url}/  (API docs: {url}/api/docs/)  Press Ctrl-C to stop.");
        app.run_until_stopped().await.context("HTTP server failed")
    }
    .await;
    // Stop the database after the server has drained, also when start-up failed.
    let closed = database.close();
    result.and(closed)
}
