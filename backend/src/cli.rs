//! The `polku` command line: `serve`, `migrate`, `openapi`.

use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::SecretString;

use uuid::Uuid;

use crate::admin::routes::password_link;
use crate::config::Settings;
use crate::db::{self, DatabaseUrls};
use crate::embedded::{EmbeddedOptions, EmbeddedPostgres};
use crate::permissions::Role;
use crate::seed;
use crate::startup::Application;

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
    Serve {
        /// On an empty database, create a demo organisation with one user per role and a
        /// working day's clients and records, and print the logins (refused in production
        /// mode).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) to stdout.
    Openapi,
    /// Operator commands (work while the server runs).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The access log: verify its hash chains, seal, maintain partitions.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Encryption keys: rotate, and re-encrypt old data with the current key.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Generate realistic, deterministic demo data in bulk: organisations with units and
    /// clients (identity codes only in the temporary range 900–999). Refused in
    /// production mode. Prints a JSON summary.
    Seed {
        /// Organisations to create.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        organisations: u16,
        /// Clients in all, spread evenly over the organisations.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=50_000_000))]
        clients: u64,
        /// Seed of the generator: the same seed gives the same people.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Service periods per client (the last one ongoing), each with two goals.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=20))]
        periods: i32,
        /// Diary entries per client, spread over its periods.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=1000))]
        diary: i32,
        /// Assessments per client, on its ongoing period.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=50))]
        assessments: i32,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Add a new encryption key and make it current (running servers pick it up).
    Rotate,
    /// Re-encrypt data written with older keys, or in the legacy format not bound to its
    /// row, using the current key and format, in batches, while the server runs. Prints
    /// how many values were rewritten.
    Reencrypt {
        /// Rows per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..=10_000))]
        batch: i64,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the hash chains and report the first broken link of each organisation
    /// (exit status 1 when one is broken).
    Verify {
        /// Only this organisation.
        #[arg(long)]
        organisation: Option<Uuid>,
        /// Only the seals of months from this date on (YYYY-MM-DD).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// The chain heads exported outside the database (the sealer's append-only file,
        /// `POLKU_AUDIT_HEAD_FILE`): every head in it must still be in the chain, which
        /// catches truncated, dropped or rewritten history.
        #[arg(long)]
        against: Option<std::path::PathBuf>,
    },
    /// Chain every event not yet sealed (the server does this in the background).
    Seal,
    /// Create the coming months' partitions and drop those past retention.
    Maintain,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an organisation; prints its id alone on stdout.
    CreateOrganisation {
        /// Name of the organisation.
        #[arg(long)]
        name: String,
    },
    /// Create a user; prints the id, or without --password-stdin a one-time
    /// password-set link.
    CreateUser {
        /// Organisation id.
        #[arg(long)]
        organisation: Uuid,
        /// Login email.
        #[arg(long)]
        email: String,
        /// Role (admin, coach, manager, dpo, sensitive); repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Unit id; repeat for several.
        #[arg(long = "unit")]
        units: Vec<Uuid>,
        /// Display name (defaults to the email).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Settings for an operator command, whose output is its result: logs only warnings.
fn operator_settings() -> anyhow::Result<Settings> {
    let settings = Settings::load()?;
    crate::telemetry::init(&Settings {
        log: "warn".to_owned(),
        ..settings.clone()
    });
    Ok(settings)
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| "one of admin, coach, manager, dpo, sensitive".to_owned())
}

impl Cli {
    /// Runs the chosen command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Openapi => print_openapi(),
            Command::Serve { demo } => {
                let settings = Settings::load()?;
                crate::telemetry::init(&settings);
                if demo && settings.production {
                    anyhow::bail!("Demo data is refused in production mode (POLKU_PRODUCTION=true)");
                }
                serve(settings, demo).await
            }
            Command::Admin(command) => admin(operator_settings()?, command).await,
            Command::Audit(command) => audit(operator_settings()?, command).await,
            Command::Keys(command) => keys(operator_settings()?, command).await,
            Command::Seed {
                organisations,
                clients,
                seed,
                periods,
                diary,
                assessments,
            } => {
                let settings = operator_settings()?;
                if settings.production {
                    anyhow::bail!("Generated data is refused in production mode (POLKU_PRODUCTION=true)");
                }
                anyhow::ensure!(
                    periods > 0 || (diary == 0 && assessments == 0),
                    "Diary entries and assessments belong to periods: give --periods too"
                );
                let shape = crate::periods::generate::Shape {
                    periods,
                    diary,
                    assessments,
                };
                seed_bulk(settings, usize::from(organisations), clients, seed, shape).await
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
    let json = crate::startup::spec()
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
    /// embedded cluster in the data directory. Every connection made through the URLs
    /// sets the session limits of the settings (statement and idle-in-transaction
    /// timeouts).
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        let mut database = Self::open_unlimited(settings).await?;
        database.urls = database.urls.with_limits(settings.session_limits())?;
        Ok(database)
    }

    async fn open_unlimited(settings: &Settings) -> anyhow::Result<Self> {
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

    /// Like [`Database::open`], but beside a server that is already running on the data
    /// directory it uses that server's database instead of failing on the lock.
    pub async fn open_for_operator(settings: &Settings) -> anyhow::Result<Self> {
        if settings.database_url.is_none()
            && let Some(urls) = EmbeddedPostgres::running(&settings.data_dir)?
        {
            let urls = urls.with_limits(settings.session_limits())?;
            return Ok(Self { urls, embedded: None });
        }
        let database = Self::open(settings).await?;
        db::run_migrations(&database.urls.owner).await?;
        Ok(database)
    }

    /// Stops the embedded cluster, if this process started one.
    pub fn close(self) -> anyhow::Result<()> {
        match self.embedded {
            Some(cluster) => cluster.stop(),
            None => Ok(()),
        }
    }
}

#[expect(
    clippy::print_stdout,
    reason = "operator commands print their result for scripts"
)]
async fn admin(settings: Settings, command: AdminCommand) -> anyhow::Result<()> {
    let database = Database::open_for_operator(&settings).await?;
    let result = async {
        let mut conn = db::connect_as_app(&database.urls.app).await?;
        match command {
            AdminCommand::CreateOrganisation { name } => {
                println!("{}", seed::create_organisation(&mut conn, &name, false).await?);
            }
            AdminCommand::CreateUser {
                organisation,
                email,
                roles,
                units,
                display_name,
                password_stdin,
            } => {
                let password = if password_stdin {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("Failed to read the password from stdin")?;
                    Some(SecretString::from(line.trim_end_matches(['\n', '\r']).to_owned()))
                } else {
                    None
                };
                let user = seed::CliUser {
                    organisation_id: organisation,
                    email,
                    display_name,
                    roles,
                    unit_ids: units,
                    password,
                };
                match seed::create_user(&mut conn, user).await? {
                    (_, Some(token)) => println!("{}", password_link(&settings, &token.token)),
                    (id, None) => println!("{id}"),
                }
            }
        }
        anyhow::Ok(())
    }
    .await;
    result.and(database.close())
}

#[expect(
    clippy::print_stdout,
    reason = "operator commands print their result for scripts"
)]
async fn audit(settings: Settings, command: AuditCommand) -> anyhow::Result<()> {
    use crate::audit::{chain, maintenance};
    let key = crate::keys::audit_key(&settings)?;
    let database = Database::open_for_operator(&settings).await?;
    let result = async {
        let pool = db::build_pool(&database.urls.app, 2, Duration::from_secs(settings.db_timeout_secs))?;
        match command {
            AuditCommand::Verify {
                organisation,
                since,
                against,
            } => {
                let heads = match &against {
                    Some(path) => Some(chain::read_heads(path)?),
                    None => None,
                };
                let mut organisations = match organisation {
                    Some(id) => vec![id],
                    None => chain::organisation_ids(&pool).await?,
                };
                // An organisation whose rows are gone entirely is still in the file.
                if organisation.is_none() {
                    for head in heads.iter().flatten() {
                        if !organisations.contains(&head.organisation_id) {
                            organisations.push(head.organisation_id);
                        }
                    }
                }
                let mut broken = 0;
                for id in organisations {
                    let started = std::time::Instant::now();
                    let outcome = chain::verify(&pool, &key, id, since, heads.as_deref()).await?;
                    let seconds = started.elapsed().as_secs_f64();
                    match &outcome.broken {
                        None => println!(
                            "organisation {id}: intact ({} events in {} seals verified in {seconds:.1} s, {} not yet sealed)",
                            outcome.events, outcome.seals, outcome.unsealed
                        ),
                        Some(link) => {
                            broken += 1;
                            println!(
                                "organisation {id}: BROKEN at seal {}{}: {}",
                                link.seq,
                                link.event_id.map(|e| format!(", event {e}")).unwrap_or_default(),
                                link.problem
                            );
                        }
                    }
                }
                if broken > 0 {
                    anyhow::bail!("{broken} broken chain(s)");
                }
            }
            AuditCommand::Seal => {
                let started = std::time::Instant::now();
                let sealed = chain::seal_all(&pool, &key, &head_export(&settings)).await?;
                println!("sealed {sealed} events in {:.1} s", started.elapsed().as_secs_f64());
            }
            AuditCommand::Maintain => {
                let upkeep =
                    maintenance::run(&database.urls.owner, settings.audit_retention_months, &key).await?;
                println!("partitions created {}, dropped {}", upkeep.created, upkeep.dropped);
            }
        }
        anyhow::Ok(())
    }
    .await;
    result.and(database.close())
}

#[expect(
    clippy::print_stdout,
    reason = "operator commands print their result for scripts"
)]
async fn seed_bulk(
    settings: Settings,
    organisations: usize,
    clients: u64,
    seed: u64,
    shape: crate::periods::generate::Shape,
) -> anyhow::Result<()> {
    use crate::clients::fields::Sealer;
    use crate::clients::generate;
    anyhow::ensure!(
        clients.div_ceil(organisations as u64) <= generate::CODE_SPACE,
        "At most {} clients per organisation",
        generate::CODE_SPACE
    );
    let database = Database::open_for_operator(&settings).await?;
    let result = async {
        let cipher = crate::keys::cipher(&settings)?;
        let lookup = crate::keys::lookup_key(&settings)?;
        let started = std::time::Instant::now();
        let mut conn = db::connect_as_app(&database.urls.app).await?;
        let mut made = Vec::with_capacity(organisations);
        for n in 0..organisations {
            let name = generate::organisation_name(n);
            let id = seed::create_organisation(&mut conn, &name, true).await?;
            let mut unit_ids = Vec::new();
            for unit in generate::unit_names() {
                unit_ids.push(seed::create_unit(&mut conn, id, unit).await?);
            }
            let share =
                clients / organisations as u64 + u64::from((n as u64) < clients % organisations as u64);
            made.push(generate::SeededOrganisation {
                id,
                name,
                unit_ids,
                clients: share,
            });
        }
        // Jobs of 10,000 clients, shared by two connections (the database does the work).
        let mut jobs = Vec::new();
        for (n, organisation) in made.iter().enumerate() {
            let mut start = 0;
            while start < organisation.clients {
                let end = (start + 10_000).min(organisation.clients);
                jobs.push((n, start..end));
                start = end;
            }
        }
        let jobs = std::sync::Mutex::new(jobs.into_iter());
        let worker = async || -> anyhow::Result<()> {
            let mut conn = db::connect_as_app(&database.urls.app).await?;
            let sealer = Sealer {
                cipher: &cipher,
                lookup: &lookup,
            };
            loop {
                let job = jobs
                    .lock()
                    .map_err(|_| anyhow::anyhow!("job queue poisoned"))?
                    .next();
                let Some((n, range)) = job else {
                    return Ok(());
                };
                let organisation = &made[n];
                generate::insert_clients(
                    &mut conn,
                    seed,
                    (n, organisation.id),
                    &organisation.unit_ids,
                    range,
                    sealer,
                )
                .await?;
            }
        };
        let (first, second) = tokio::join!(worker(), worker());
        first?;
        second?;
        let clients_seconds = started.elapsed().as_secs_f64();
        // Then the periods and what is documented in them, an organisation at a time per
        // connection (the database generates them from the clients).
        let organisations_left =
            std::sync::Mutex::new(made.iter().map(|o| o.id).collect::<Vec<_>>().into_iter());
        let period_worker = async || -> anyhow::Result<()> {
            let mut conn = db::connect_as_app(&database.urls.app).await?;
            loop {
                let next = organisations_left
                    .lock()
                    .map_err(|_| anyhow::anyhow!("job queue poisoned"))?
                    .next();
                let Some(organisation) = next else {
                    return Ok(());
                };
                crate::periods::generate::insert(&mut conn, organisation, shape).await?;
            }
        };
        let (first, second) = tokio::join!(period_worker(), period_worker());
        first?;
        second?;
        // After a bulk load: statistics for the planner and a visibility map for
        // index-only scans, as autovacuum would make them later.
        use diesel_async::SimpleAsyncConnection;
        let mut owner = db::connect_as_owner(&database.urls.owner).await?;
        owner
            .batch_execute(
                "VACUUM (ANALYZE) clients, client_history_entries, client_name_words, periods, period_goals, \
                 diary_entries, assessments, assessment_scores",
            )
            .await
            .context("Failed to vacuum after the load")?;
        let summary = serde_json::json!({
            "organisations": made,
            "clients": clients,
            "periods_per_client": shape.periods,
            "diary_per_client": shape.diary,
            "assessments_per_client": shape.assessments,
            "clients_seconds": (clients_seconds * 10.0).round() / 10.0,
            "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        });
        println!("{summary}");
        anyhow::Ok(())
    }
    .await;
    result.and(database.close())
}

/// Encrypted columns outside the clients area that `keys reencrypt` rewrites.
const ENCRYPTED_ELSEWHERE: &[crate::clients::reencrypt::Column] = &[crate::clients::reencrypt::Column {
    table: "diary_entries",
    column: "body_encrypted",
    context: crate::periods::DIARY_BODY,
}];

#[expect(
    clippy::print_stdout,
    reason = "operator commands print their result for scripts"
)]
async fn keys(settings: Settings, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Rotate => {
            let id = crate::keys::rotate(&settings)?;
            println!("key {id} is now current; run `polku keys reencrypt` to rewrite older data");
            Ok(())
        }
        KeysCommand::Reencrypt { batch } => {
            let database = Database::open_for_operator(&settings).await?;
            let result = async {
                let cipher = crate::keys::cipher(&settings)?;
                let pool = db::build_pool(
                    &database.urls.app,
                    1,
                    Duration::from_secs(settings.db_timeout_secs),
                )?;
                let organisations = crate::audit::chain::organisation_ids(&pool).await?;
                let mut app = db::connect_as_app(&database.urls.app).await?;
                let mut owner = db::connect_as_owner(&database.urls.owner).await?;
                let rewritten = crate::clients::reencrypt::run(
                    &mut app,
                    &mut owner,
                    &cipher,
                    &organisations,
                    ENCRYPTED_ELSEWHERE,
                    batch,
                )
                .await?;
                println!(
                    "re-encrypted {rewritten} values with key {} (format {})",
                    cipher.current_key_id(),
                    crate::crypto::Cipher::format_version()
                );
                anyhow::Ok(())
            }
            .await;
            result.and(database.close())
        }
    }
}

#[expect(clippy::print_stdout, reason = "tells the operator where to go")]
async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        let applied = db::run_migrations(&database.urls.owner).await?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        if demo {
            let logins = settings.data_dir.join("demo-logins.txt");
            let mut conn = db::connect_as_app(&database.urls.app).await?;
            if seed::is_empty(&mut conn).await? {
                let started = std::time::Instant::now();
                let cipher = crate::keys::cipher(&settings)?;
                let lookup = crate::keys::lookup_key(&settings)?;
                let sealer = crate::clients::fields::Sealer {
                    cipher: &cipher,
                    lookup: &lookup,
                };
                let today = crate::domain::check::today();
                let (logins_text, made) = seed::demo(&mut conn, &logins, sealer, today).await?;
                print!("{logins_text}");
                println!(
                    "Demo data: {} clients, {} periods, {} diary entries, {} assessments, {} reports, \
                     {} consents, {} attendance groups with {} marks ({:.1} s)",
                    made.clients,
                    made.periods,
                    made.diary_entries,
                    made.assessments,
                    made.reports,
                    made.consents,
                    made.groups,
                    made.attendance,
                    started.elapsed().as_secs_f64()
                );
            } else if logins.exists() {
                println!("Demo logins: {}", logins.display());
            }
        }
        let pool = db::build_pool(
            &database.urls.app,
            settings.db_pool_size,
            Duration::from_secs(settings.db_timeout_secs),
        )?;
        let audit_key = crate::keys::audit_key(&settings)?;
        crate::audit::maintenance::run(&database.urls.owner, settings.audit_retention_months, &audit_key)
            .await?;
        let _upkeep = crate::audit::maintenance::spawn(
            pool.clone(),
            database.urls.owner.clone(),
            audit_key,
            head_export(&settings),
            Duration::from_secs(settings.audit_seal_interval_secs),
            settings.audit_retention_months,
        );
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

/// Where the sealer exports the access log's chain heads: the file, and the command if set.
fn head_export(settings: &Settings) -> crate::audit::chain::HeadExport {
    crate::audit::chain::HeadExport {
        file: Some(settings.audit_head_path()),
        command: settings.audit_head_command.clone(),
    }
}
