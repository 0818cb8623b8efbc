//! Settings: defaults, then an optional TOML file, then `POLKU_*` environment variables
//! (and `DATABASE_URL`). Every setting is documented in the README with its default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (the default, for terminals).
    #[default]
    Human,
    /// One JSON object a line (for log collectors).
    Json,
}

/// All runtime settings of the `polku` binary.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// Directory for the embedded PostgreSQL cluster, generated keys and documents.
    pub data_dir: PathBuf,
    /// PostgreSQL URL used for migrations (acts as the owner role `polku_owner`).
    /// Without it, Polku runs its own embedded cluster in `data_dir`.
    #[serde(skip_serializing)]
    pub database_url: Option<SecretString>,
    /// PostgreSQL URL for the running application (the runtime role `polku_app`).
    /// Defaults to `database_url` with `SET ROLE polku_app` on every connection.
    #[serde(skip_serializing)]
    pub app_database_url: Option<SecretString>,
    /// Maximum number of pooled database connections per server instance.
    pub db_pool_size: usize,
    /// Seconds to wait for a database connection before answering 503.
    pub db_timeout_secs: u64,
    /// Longest a single SQL statement may run (milliseconds) before PostgreSQL cancels it;
    /// set on every connection. 0 turns the limit off.
    pub db_statement_timeout_ms: u64,
    /// Longest a connection may sit idle inside an open transaction (milliseconds) before
    /// PostgreSQL ends its session; set on every connection. 0 turns the limit off.
    pub db_idle_in_transaction_timeout_ms: u64,
    /// Seconds a client gets to send a request's whole body; a slower one gets 408.
    /// Bodies are read completely before a request touches the database.
    pub body_timeout_secs: u64,
    /// Directory holding the built single-page app (`index.html`, `assets/`).
    pub frontend_dir: PathBuf,
    /// `tracing` filter directive, e.g. `info` or `polku=debug,info`.
    pub log: String,
    /// `human` or `json`.
    pub log_format: LogFormat,
    /// Send `Strict-Transport-Security`; turn on when Polku is served over TLS.
    pub hsts: bool,
    /// Origins allowed to call the API from a browser (CORS). Empty: none (closed).
    pub cors_origins: Vec<String>,
    /// Largest accepted JSON request body, in bytes.
    pub json_limit_bytes: usize,
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout_secs: u64,
    /// Directory of the PostgreSQL server binaries (`initdb`, `postgres`, `pg_ctl`);
    /// searched on `PATH` and under `/usr/lib/postgresql/*/bin` when unset.
    pub postgres_bin_dir: Option<PathBuf>,
    /// Unprivileged OS user that runs the embedded cluster when Polku runs as root.
    pub postgres_os_user: String,
    /// Secret (at least 32 bytes) that signs access tokens; every instance behind one load
    /// balancer needs the same. Generated in `data_dir/keys` when unset.
    #[serde(skip_serializing)]
    pub token_secret: Option<SecretString>,
    /// Keys that encrypt identity codes, bank accounts, secrets and special-category data
    /// at rest: one 32-byte base64 key, or `ID:BASE64KEY` entries separated by commas (the
    /// highest id is current). Every instance needs the same. Generated in
    /// `data_dir/keys` when unset.
    #[serde(skip_serializing)]
    pub encryption_key: Option<SecretString>,
    /// Secret (at least 32 bytes) of the keyed hashes that find identity codes; never
    /// changes once data exists. Generated in `data_dir/keys` when unset.
    #[serde(skip_serializing)]
    pub lookup_key: Option<SecretString>,
    /// Addresses or networks (CIDR) of the reverse proxies in front of Polku. The client
    /// address is the right-most `X-Forwarded-For` entry that is not one of them; with none
    /// configured, the header is ignored and the peer address is the client's.
    #[serde(with = "proxy_list")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Program and arguments that send one e-mail: the message (RFC 5322, with `To:`) on
    /// standard input, as `sendmail -t` reads it. Empty: no e-mail, and links for setting a
    /// password are shown to the admin once instead.
    pub mail_command: Vec<String>,
    /// Sender (`From:`) of the e-mails Polku sends.
    pub mail_from: String,
    /// Public base URL of the web app, used in invitation links.
    pub public_url: Option<String>,
    /// Production mode: refuses demo data.
    pub production: bool,
    /// Seconds between runs of the access log's sealer (hash chain); 0 turns it off (for
    /// instances that leave sealing to others or to `polku audit seal`).
    pub audit_seal_interval_secs: u64,
    /// Months the access and disclosure logs are kept (at least 24: a client may ask
    /// about two years back). Whole months older than this are dropped daily.
    pub audit_retention_months: u32,
    /// Secret (at least 32 bytes) that keys the access log's hash chain (HMAC-SHA256); the
    /// database never sees it. Every instance needs the same. Generated in
    /// `data_dir/keys` when unset.
    #[serde(skip_serializing)]
    pub audit_key: Option<SecretString>,
    /// Append-only file outside the database where the sealer writes each organisation's
    /// chain head after sealing (`polku audit verify --against` reads it). Defaults to
    /// `data_dir/audit-heads.jsonl`.
    pub audit_head_file: Option<PathBuf>,
    /// Shell command that also receives the new chain heads on stdin after sealing (one
    /// JSON object a line), to ship them off the host (e.g. `logger -t polku-audit`, or an
    /// upload to object storage).
    pub audit_head_command: Option<String>,
}

/// Fewest months of log the retention setting may keep.
pub const MIN_AUDIT_RETENTION_MONTHS: u32 = 24;

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            app_database_url: None,
            db_pool_size: 16,
            db_timeout_secs: 5,
            db_statement_timeout_ms: 30_000,
            db_idle_in_transaction_timeout_ms: 10_000,
            body_timeout_secs: 15,
            frontend_dir: PathBuf::from("frontend/dist"),
            log: "info".to_owned(),
            log_format: LogFormat::Human,
            hsts: false,
            cors_origins: Vec::new(),
            json_limit_bytes: 1024 * 1024,
            workers: 0,
            shutdown_timeout_secs: 30,
            postgres_bin_dir: None,
            postgres_os_user: "postgres".to_owned(),
            token_secret: None,
            encryption_key: None,
            lookup_key: None,
            trusted_proxies: Vec::new(),
            mail_command: Vec::new(),
            mail_from: "polku@localhost".to_owned(),
            public_url: None,
            production: false,
            audit_seal_interval_secs: 5,
            audit_retention_months: MIN_AUDIT_RETENTION_MONTHS,
            audit_key: None,
            audit_head_file: None,
            audit_head_command: None,
        }
    }
}

impl Settings {
    /// Where the chain heads of the access log are exported.
    pub fn audit_head_path(&self) -> PathBuf {
        self.audit_head_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-heads.jsonl"))
    }

    /// Loads settings from defaults, the config file (`POLKU_CONFIG`, or `polku.toml` in the
    /// working directory if it exists) and the environment, in that order of precedence.
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var_os("POLKU_CONFIG").map(PathBuf::from);
        Self::load_from(file.as_deref())
    }

    /// Like [`Settings::load`] with an explicit config file.
    pub fn load_from(file: Option<&Path>) -> anyhow::Result<Self> {
        let figment = Self::with_file(file)?
            .merge(Env::prefixed("POLKU_").ignore(&["CONFIG"]).split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        let settings: Self = figment.extract().context("Failed to read configuration")?;
        anyhow::ensure!(
            settings.audit_retention_months >= MIN_AUDIT_RETENTION_MONTHS,
            "POLKU_AUDIT_RETENTION_MONTHS must be at least {MIN_AUDIT_RETENTION_MONTHS}: clients may ask who \
             processed their data during the last two years"
        );
        Ok(settings)
    }

    /// The limits every database connection sets for its session.
    pub fn session_limits(&self) -> crate::db::SessionLimits {
        crate::db::SessionLimits {
            statement_timeout: Duration::from_millis(self.db_statement_timeout_ms),
            idle_in_transaction_timeout: Duration::from_millis(self.db_idle_in_transaction_timeout_ms),
        }
    }

    /// Defaults overlaid with the config file.
    fn with_file(file: Option<&Path>) -> anyhow::Result<Figment> {
        let figment = Figment::from(Serialized::defaults(Settings::default()));
        Ok(match file {
            Some(path) => {
                anyhow::ensure!(path.is_file(), "Config file {} does not exist", path.display());
                figment.merge(Toml::file_exact(path))
            }
            None => figment.merge(Toml::file("polku.toml")),
        })
    }
}

/// `trusted_proxies` as a list of strings (or one comma-separated string, as an
/// environment variable is easiest to write); a bare address is a network of one.
mod proxy_list {
    use ipnet::IpNet;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Input {
        List(Vec<String>),
        One(String),
    }

    pub fn serialize<S: Serializer>(proxies: &[IpNet], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(proxies.iter().map(ToString::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
        let entries = match Input::deserialize(deserializer)? {
            Input::List(list) => list,
            Input::One(text) => text.split(',').map(str::to_owned).collect(),
        };
        entries
            .iter()
            .map(|entry| entry.trim())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| serde::de::Error::custom(format!("not an address or CIDR network: {entry}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults_and_unknown_keys_are_refused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("polku.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:9000\"\nhsts = true\n")?;
        // Without the environment layer, so the test holds whatever the shell exports.
        let settings: Settings = Settings::with_file(Some(&path))?.extract()?;
        assert_eq!(settings.listen, SocketAddr::from(([0, 0, 0, 0], 9000)));
        assert!(settings.hsts);
        assert_eq!(settings.data_dir, PathBuf::from("./data"));

        std::fs::write(&path, "listne = \"0.0.0.0:9000\"\n")?;
        assert!(Settings::with_file(Some(&path))?.extract::<Settings>().is_err());
        Ok(())
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("polku.toml");
        std::fs::write(&path, "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1\"]\n")?;
        let settings: Settings = Settings::with_file(Some(&path))?.extract()?;
        let expected: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse()?, "192.0.2.1/32".parse()?];
        assert_eq!(settings.trusted_proxies, expected);
        std::fs::write(&path, "trusted_proxies = \"10.0.0.0/8, 192.0.2.1\"\n")?;
        let settings: Settings = Settings::with_file(Some(&path))?.extract()?;
        assert_eq!(settings.trusted_proxies, expected);
        std::fs::write(&path, "trusted_proxies = [\"proxy.example\"]\n")?;
        assert!(Settings::with_file(Some(&path))?.extract::<Settings>().is_err());
        Ok(())
    }

    #[test]
    fn missing_config_file_is_an_error() {
        assert!(Settings::load_from(Some(Path::new("/nonexistent/polku.toml"))).is_err());
    }
}
