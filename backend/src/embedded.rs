//! The embedded PostgreSQL cluster: used when no `DATABASE_URL` is configured.
//!
//! The cluster lives in `<data_dir>/postgres`, listens only on a unix socket in
//! `<data_dir>/run` (no TCP port; only a test starts one with a TLS-only listener on
//! `localhost`, [`EmbeddedPostgres::start_with_tls`]), and is started and stopped with
//! the server. A lock on
//! `<data_dir>/polku.lock` keeps a second server off the same data directory. PostgreSQL
//! refuses to run as root, so a root process runs it as an unprivileged OS user.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use diesel::sql_types::Bool;
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, User};
use secrecy::SecretString;

use crate::db::{self, APP_ROLE, DatabaseUrls, OWNER_ROLE};

/// Name of the application database inside the embedded cluster.
pub const DATABASE_NAME: &str = "polku";
const SUPERUSER: &str = "postgres";
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
/// `sockaddr_un.sun_path` holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH: usize = 107;

/// How to run the embedded cluster.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// Directory holding `initdb`, `postgres` and `pg_ctl`; searched for when `None`.
    pub bin_dir: Option<PathBuf>,
    /// OS user that runs PostgreSQL when this process is root.
    pub os_user: String,
}

/// A TCP listener on `localhost` that takes only TLS connections, beside the unix socket
/// (for testing TLS to PostgreSQL against a real server).
#[derive(Debug, Clone)]
pub struct TlsListener {
    /// TCP port on `localhost`.
    pub port: u16,
    /// The server's certificate (and any intermediates), PEM.
    pub certificate_pem: String,
    /// The server's private key, PEM.
    pub key_pem: String,
}

/// The port PostgreSQL names its unix socket after when no TCP port is set.
const DEFAULT_PORT: u16 = 5432;

/// A running private PostgreSQL cluster; stopped by [`EmbeddedPostgres::stop`] or on drop.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    pgdata: PathBuf,
    socket_dir: PathBuf,
    port: u16,
    child: Option<Child>,
    _lock: File,
}

impl EmbeddedPostgres {
    /// Initialises the cluster on first use, starts it, and makes sure the Polku roles
    /// and database exist. Fails with a clear message if another server holds the data
    /// directory or PostgreSQL is not installed.
    pub async fn start(data_dir: &Path, options: &EmbeddedOptions) -> anyhow::Result<Self> {
        Self::start_listening(data_dir, options, None).await
    }

    /// Like [`EmbeddedPostgres::start`], also listening on `localhost` for TLS connections
    /// only (`ssl=on`; `pg_hba.conf` has `hostssl` lines and no `host` ones).
    pub async fn start_with_tls(
        data_dir: &Path,
        options: &EmbeddedOptions,
        tls: &TlsListener,
    ) -> anyhow::Result<Self> {
        Self::start_listening(data_dir, options, Some(tls.clone())).await
    }

    async fn start_listening(
        data_dir: &Path,
        options: &EmbeddedOptions,
        tls: Option<TlsListener>,
    ) -> anyhow::Result<Self> {
        let data_dir = data_dir.to_owned();
        let options = options.clone();
        let cluster =
            tokio::task::spawn_blocking(move || Self::start_blocking(&data_dir, &options, tls.as_ref()))
                .await
                .context("Failed to start the embedded PostgreSQL")??;
        let mut conn = cluster.connect_superuser(DATABASE_NAME_BOOTSTRAP).await?;
        db::ensure_roles(&mut conn)
            .await
            .context("Failed to create the database roles")?;
        if !database_exists(&mut conn, DATABASE_NAME).await? {
            db::create_database(&mut conn, DATABASE_NAME, None)
                .await
                .context("Failed to create the polku database")?;
        }
        Ok(cluster)
    }

    fn start_blocking(
        data_dir: &Path,
        options: &EmbeddedOptions,
        tls: Option<&TlsListener>,
    ) -> anyhow::Result<Self> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(data_dir)
            .with_context(|| format!("Failed to create data directory {}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .with_context(|| format!("Failed to resolve data directory {}", data_dir.display()))?;
        let lock = lock_data_dir(&data_dir)?;
        let bins = PgBinaries::find(options.bin_dir.as_deref())?;
        let runner = OsUser::for_postgres(&options.os_user)?;
        runner.ensure_reachable(&data_dir)?;

        let pgdata = data_dir.join("postgres");
        let socket_dir = data_dir.join("run");
        let port = tls.map_or(DEFAULT_PORT, |tls| tls.port);
        let socket_file = socket_dir.join(format!(".s.PGSQL.{port}"));
        if socket_file.as_os_str().len() > MAX_SOCKET_PATH {
            bail!(
                "The data directory path {} is too long for a PostgreSQL unix socket; \
                 use a shorter POLKU_DATA_DIR",
                data_dir.display()
            );
        }
        if !pgdata.join("PG_VERSION").exists() {
            initdb(&bins, &runner, &data_dir, &pgdata)?;
        }
        stop_stale_postmaster(&bins, &runner, &pgdata);
        runner.make_private_dir(&socket_dir)?;

        let log_path = data_dir.join("postgres.log");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&log_path)
            .with_context(|| format!("Failed to open {}", log_path.display()))?;
        let mut command = Command::new(bins.dir.join("postgres"));
        command.arg("-D").arg(&pgdata);
        match tls {
            None => {
                command.args(["-c", "listen_addresses="]);
            }
            Some(tls) => {
                let dir = data_dir.join("tls");
                runner.make_private_dir(&dir)?;
                let hba = "local all all trust\n\
                           hostssl all all 127.0.0.1/32 trust\n\
                           hostssl all all ::1/128 trust\n";
                for (name, text) in [
                    ("server.crt", tls.certificate_pem.as_str()),
                    ("server.key", tls.key_pem.as_str()),
                    ("pg_hba.conf", hba),
                ] {
                    let path = dir.join(name);
                    fs::write(&path, text).with_context(|| format!("Failed to write {}", path.display()))?;
                    fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
                    runner.give(&path)?;
                }
                command
                    .args(["-c", "listen_addresses=localhost", "-c", "ssl=on"])
                    .arg("-c")
                    .arg(format!("port={}", tls.port))
                    .arg("-c")
                    .arg(format!("ssl_cert_file={}", dir.join("server.crt").display()))
                    .arg("-c")
                    .arg(format!("ssl_key_file={}", dir.join("server.key").display()))
                    .arg("-c")
                    .arg(format!("hba_file={}", dir.join("pg_hba.conf").display()));
            }
        }
        command
            .arg("-c")
            .arg(format!("unix_socket_directories={}", socket_dir.display()))
            .args(["-c", "unix_socket_permissions=0700"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("Failed to duplicate log handle")?)
            .stderr(log)
            // Its own process group: Ctrl-C reaches Polku, which finishes in-flight
            // requests before it stops the database.
            .process_group(0);
        runner.apply(&mut command);
        let child = command.spawn().context("Failed to start postgres")?;
        let mut cluster = Self {
            pgdata,
            socket_dir,
            port,
            child: Some(child),
            _lock: lock,
        };
        cluster.wait_until_ready(&bins, &log_path)?;
        tracing::info!(socket = %cluster.socket_dir.display(), "embedded PostgreSQL started");
        Ok(cluster)
    }

    fn wait_until_ready(&mut self, bins: &PgBinaries, log_path: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait().context("Failed to watch postgres")?
            {
                self.child = None;
                bail!(
                    "PostgreSQL exited during start-up ({status}). Last lines of {}:\n{}",
                    log_path.display(),
                    tail(log_path, 2000)
                );
            }
            let ready = Command::new(bins.dir.join("pg_isready"))
                .arg("-q")
                .arg("-h")
                .arg(&self.socket_dir)
                .arg("-p")
                .arg(self.port.to_string())
                .args(["-d", "postgres", "-U", SUPERUSER])
                .status()
                .map(|status| status.success())
                .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "PostgreSQL did not become ready in {} s; see {}",
                    START_TIMEOUT.as_secs(),
                    log_path.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// URLs for the owner and runtime roles of the `polku` database.
    pub fn urls(&self) -> DatabaseUrls {
        DatabaseUrls {
            owner: self.url(OWNER_ROLE, DATABASE_NAME),
            app: self.url(APP_ROLE, DATABASE_NAME),
        }
    }

    /// URL of the cluster's superuser for database `database` (test harness, bootstrap).
    pub fn superuser_url(&self, database: &str) -> SecretString {
        self.url(SUPERUSER, database)
    }

    fn url(&self, user: &str, database: &str) -> SecretString {
        socket_url(&self.socket_dir, self.port, user, database)
    }

    /// URLs of the cluster of a server that is running on `data_dir` right now (its lock
    /// is held), so that operator commands work beside it. `None` when no server runs.
    pub fn running(data_dir: &Path) -> anyhow::Result<Option<DatabaseUrls>> {
        let Ok(data_dir) = data_dir.canonicalize() else {
            return Ok(None);
        };
        let lock = data_dir.join("polku.lock");
        let Ok(file) = OpenOptions::new().write(true).open(&lock) else {
            return Ok(None);
        };
        match file.try_lock() {
            Ok(()) => Ok(None),
            Err(fs::TryLockError::WouldBlock) => {
                let socket_dir = data_dir.join("run");
                Ok(Some(DatabaseUrls {
                    owner: socket_url(&socket_dir, DEFAULT_PORT, OWNER_ROLE, DATABASE_NAME),
                    app: socket_url(&socket_dir, DEFAULT_PORT, APP_ROLE, DATABASE_NAME),
                }))
            }
            Err(fs::TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("Failed to check {}", lock.display()))
            }
        }
    }

    async fn connect_superuser(&self, database: &str) -> anyhow::Result<AsyncPgConnection> {
        use secrecy::ExposeSecret;
        db::establish(self.superuser_url(database).expose_secret())
            .await
            .context("Failed to connect to the embedded PostgreSQL")
    }

    /// The process id of the postmaster, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the cluster with a fast shutdown (open transactions roll back; everything
    /// committed is on disk) and waits for it to exit.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = Pid::from_raw(i32::try_from(child.id()).context("Invalid postgres pid")?);
        signal_and_wait(&mut child, pid, Signal::SIGINT, STOP_TIMEOUT)
            .or_else(|_| signal_and_wait(&mut child, pid, Signal::SIGQUIT, STOP_TIMEOUT))
            .context("PostgreSQL did not stop")?;
        tracing::info!(pgdata = %self.pgdata.display(), "embedded PostgreSQL stopped");
        Ok(())
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if let Err(error) = self.shutdown() {
            tracing::error!(?error, "failed to stop the embedded PostgreSQL");
        }
    }
}

fn socket_url(socket_dir: &Path, port: u16, user: &str, database: &str) -> SecretString {
    let host: String =
        url::form_urlencoded::byte_serialize(socket_dir.as_os_str().as_encoded_bytes()).collect();
    SecretString::from(format!(
        "postgresql://{user}@localhost:{port}/{database}?host={host}"
    ))
}

/// The bootstrap database every cluster has, used before `polku` exists.
const DATABASE_NAME_BOOTSTRAP: &str = "postgres";

fn signal_and_wait(child: &mut Child, pid: Pid, signal: Signal, timeout: Duration) -> anyhow::Result<()> {
    // The process may already have exited (ESRCH); waiting below tells.
    let _ = kill(pid, signal);
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    bail!("postgres ignored {signal}")
}

fn lock_data_dir(data_dir: &Path) -> anyhow::Result<File> {
    let path = data_dir.join("polku.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("Failed to open lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => bail!(
            "Another Polku server is already running on the data directory {} (the lock {} is held). \
             Stop it first, or give this one another POLKU_DATA_DIR.",
            data_dir.display(),
            path.display()
        ),
        Err(fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("Failed to lock {}", path.display()))
        }
    }
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> anyhow::Result<bool> {
    let row: Exists = sql_query("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result(conn)
        .await
        .context("Failed to look up the database")?;
    Ok(row.exists)
}

/// Where the PostgreSQL server programs are.
#[derive(Debug)]
struct PgBinaries {
    dir: PathBuf,
}

impl PgBinaries {
    fn find(configured: Option<&Path>) -> anyhow::Result<Self> {
        let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
        if let Some(dir) = configured {
            if has_server(dir) {
                return Ok(Self { dir: dir.to_owned() });
            }
            bail!(
                "POLKU_POSTGRES_BIN_DIR={} does not contain the PostgreSQL server programs (initdb, postgres). \
                 Install them (Debian/Ubuntu: `apt-get install postgresql`), fix the setting, or set \
                 DATABASE_URL to use an existing server.",
                dir.display()
            );
        }
        // `initdb` on PATH is often a symlink; its real directory has the whole set.
        let on_path = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
            .filter_map(|dir| dir.join("initdb").canonicalize().ok())
            .filter_map(|initdb| initdb.parent().map(Path::to_owned));
        let packaged = debian_bin_dirs();
        on_path
            .chain(packaged)
            .find(|dir| has_server(dir))
            .map(|dir| Self { dir })
            .context(
                "PostgreSQL server programs (initdb, postgres) were not found on PATH or under \
                 /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: `apt-get install postgresql`), \
                 point POLKU_POSTGRES_BIN_DIR at them, or set DATABASE_URL to use an existing server.",
            )
    }
}

/// `/usr/lib/postgresql/<major>/bin`, newest major first.
fn debian_bin_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .collect();
    dirs.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    dirs.into_iter().map(|(_, dir)| dir).collect()
}

/// The OS identity PostgreSQL runs as: this process's own, or an unprivileged user when
/// this process is root.
#[derive(Debug)]
struct OsUser {
    switch_to: Option<User>,
}

impl OsUser {
    fn for_postgres(name: &str) -> anyhow::Result<Self> {
        if !nix::unistd::geteuid().is_root() {
            return Ok(Self { switch_to: None });
        }
        let user = User::from_name(name)
            .with_context(|| format!("Failed to look up OS user {name}"))?
            .with_context(|| {
                format!(
                    "Polku runs as root, and PostgreSQL refuses to run as root, so it runs the embedded \
                     database as the OS user '{name}', which does not exist. Create it (Debian's \
                     postgresql package does), set POLKU_POSTGRES_OS_USER, or run Polku as another user."
                )
            })?;
        Ok(Self {
            switch_to: Some(user),
        })
    }

    fn apply(&self, command: &mut Command) {
        if let Some(user) = &self.switch_to {
            // std drops supplementary groups when it changes the uid of a root process.
            command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
            command.env("HOME", &user.dir);
        }
    }

    fn give(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(user) = &self.switch_to {
            chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
                .with_context(|| format!("Failed to hand {} to {}", path.display(), user.name))?;
        }
        Ok(())
    }

    fn make_private_dir(&self, path: &Path) -> anyhow::Result<()> {
        fs::create_dir_all(path).with_context(|| format!("Failed to create {}", path.display()))?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
        self.give(path)
    }

    /// The unprivileged user must be able to traverse every ancestor of the data dir.
    fn ensure_reachable(&self, data_dir: &Path) -> anyhow::Result<()> {
        let Some(user) = &self.switch_to else {
            return Ok(());
        };
        let mode = fs::metadata(data_dir)?.permissions().mode();
        if mode & 0o001 == 0 {
            // Traversable, not listable: the cluster's own directories stay mode 0700.
            fs::set_permissions(data_dir, fs::Permissions::from_mode(mode | 0o001))?;
        }
        for ancestor in data_dir.ancestors().skip(1) {
            let metadata = fs::metadata(ancestor)?;
            if metadata.permissions().mode() & 0o001 == 0 {
                bail!(
                    "The OS user '{}' that runs the embedded PostgreSQL cannot reach {} because {} is \
                     not traversable by others. Use a POLKU_DATA_DIR outside it (e.g. /var/lib/polku).",
                    user.name,
                    data_dir.display(),
                    ancestor.display()
                );
            }
        }
        Ok(())
    }
}

fn initdb(bins: &PgBinaries, runner: &OsUser, data_dir: &Path, pgdata: &Path) -> anyhow::Result<()> {
    // Initialise beside the target and rename, so an interrupted initdb never leaves a
    // half-made cluster where the next start would find it.
    let staging = data_dir.join("postgres.initdb");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("Failed to remove {}", staging.display()))?;
    }
    runner.make_private_dir(&staging)?;
    tracing::info!(pgdata = %pgdata.display(), "initialising the embedded PostgreSQL cluster");
    let mut command = Command::new(bins.dir.join("initdb"));
    command
        .arg("-D")
        .arg(&staging)
        .args(["-U", SUPERUSER, "-E", "UTF8", "--no-locale"])
        .args(["--auth-local=trust", "--auth-host=reject"])
        .stdin(Stdio::null());
    runner.apply(&mut command);
    let output = command.output().context("Failed to run initdb")?;
    if !output.status.success() {
        bail!(
            "initdb failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    fs::rename(&staging, pgdata)
        .with_context(|| format!("Failed to move the new cluster to {}", pgdata.display()))
}

/// A postmaster left running by a Polku that was killed: we hold the lock, so it is ours.
fn stop_stale_postmaster(bins: &PgBinaries, runner: &OsUser, pgdata: &Path) {
    if !pgdata.join("postmaster.pid").exists() {
        return;
    }
    let mut status = Command::new(bins.dir.join("pg_ctl"));
    status
        .arg("status")
        .arg("-D")
        .arg(pgdata)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    runner.apply(&mut status);
    if status.status().is_ok_and(|s| s.success()) {
        tracing::warn!("stopping a PostgreSQL left running by an earlier Polku");
        let mut stop = Command::new(bins.dir.join("pg_ctl"));
        stop.arg("stop")
            .arg("-D")
            .arg(pgdata)
            .args(["-m", "fast", "-w"])
            .stdout(Stdio::null());
        runner.apply(&mut stop);
        let _ = stop.status();
    }
}

fn tail(path: &Path, bytes: u64) -> String {
    let mut text = String::new();
    if let Ok(mut file) = File::open(path) {
        let length = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(length.saturating_sub(bytes)));
        let _ = file.read_to_string(&mut text);
    }
    text
}
