//! The HTTP server: middleware, route registration, the SPA and the API docs.

pub mod extract;
mod meta;
mod middleware;
mod spa;

pub use meta::{IfMatch, RefreshCookie, RequestMeta, etag};

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::crypto::{Cipher, LookupKey};
use crate::db::DbPool;
use crate::openapi::ApiDoc;

/// Shared state of every worker.
#[derive(Clone)]
pub struct AppState {
    /// Runtime database connections.
    pub pool: DbPool,
    /// The loaded settings.
    pub settings: Arc<Settings>,
    /// Signs and verifies access tokens.
    pub keys: TokenKeys,
    /// Encrypts secrets and special-category data at rest.
    pub cipher: Cipher,
    /// Keyed hashes for exact lookup of encrypted values.
    pub lookup: LookupKey,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Registers every documented endpoint. The server and `polku openapi` both use this, so
/// the spec lists exactly what is served.
pub fn configure_api(cfg: &mut ServiceConfig) {
    crate::system::configure(cfg);
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(crate::auth::configure)
            .configure(crate::admin::configure)
            .configure(crate::clients::configure)
            .configure(crate::consents::configure)
            .configure(crate::periods::configure)
            .configure(crate::attendance::configure)
            .configure(crate::audit::configure),
    );
}

/// How often a server reads its keyring again, so that new writes use a key added by
/// `polku keys rotate` without a restart.
const KEYRING_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

fn spawn_keyring_refresh(cipher: &Cipher) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let cipher = cipher.clone();
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(KEYRING_REFRESH);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(error) = cipher.refresh() {
                tracing::warn!(error = %error, "could not read the encryption keyring");
            }
        }
    });
}

/// Extra, undocumented routes mounted beside the API (used by the test harness to probe
/// the shared extractor and error handling).
pub type ExtraRoutes = fn(&mut web::ServiceConfig);

/// A bound HTTP server; it serves once awaited.
pub struct Application {
    port: u16,
    server: Server,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Binds `settings.listen` and builds the server.
    pub fn build(settings: Settings, pool: DbPool) -> anyhow::Result<Self> {
        Self::build_with(settings, pool, |_| {})
    }

    /// Like [`Application::build`], with extra routes mounted outside the API.
    pub fn build_with(settings: Settings, pool: DbPool, extra: ExtraRoutes) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.listen)
            .with_context(|| format!("Failed to listen on {}", settings.listen))?;
        let port = listener
            .local_addr()
            .context("Failed to read the bound address")?
            .port();
        let keys = TokenKeys::new(&crate::keys::token_secret(&settings)?);
        let cipher = crate::keys::cipher(&settings)?;
        let lookup = crate::keys::lookup_key(&settings)?;
        spawn_keyring_refresh(&cipher);
        let state = AppState {
            pool,
            settings: Arc::new(settings),
            keys,
            cipher,
            lookup,
        };
        let settings = Arc::clone(&state.settings);
        let frontend = frontend_dir(&settings.frontend_dir);
        let data = web::Data::new(state);

        let shutdown_timeout = settings.shutdown_timeout_secs;
        let workers = settings.workers;

        let mut server = HttpServer::new(move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .app_data(data.clone())
                .app_data(extract::json_config(settings.json_limit_bytes))
                .app_data(extract::path_config())
                .app_data(extract::query_config())
                .app_data(web::PayloadConfig::new(settings.json_limit_bytes))
                .configure(configure_api)
                .split_for_parts();
            app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
                .service(web::redirect("/api/docs", "/api/docs/"))
                .configure(extra)
                .configure(|cfg| spa::configure(cfg, frontend.as_deref()))
                .default_service(web::to(spa::fallback))
                .wrap(from_fn(middleware::request_transaction))
                .wrap(Condition::new(
                    !settings.cors_origins.is_empty(),
                    middleware::cors(&settings.cors_origins),
                ))
                .wrap(from_fn(middleware::cache_control))
                .wrap(middleware::security_headers(settings.hsts))
                .wrap(from_fn(middleware::request_id_header))
                .wrap(TracingLogger::default())
        })
        .shutdown_timeout(shutdown_timeout);
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server
            .listen(listener)
            .context("Failed to start the HTTP server")?
            .run();
        Ok(Self { port, server })
    }

    /// The port the server is bound to (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until SIGINT/SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Runs the server, returning its handle (for tests and embedding).
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// The SPA directory if it holds a built app; a missing build is logged, not fatal, so
/// the API can run alone.
fn frontend_dir(dir: &std::path::Path) -> Option<PathBuf> {
    if dir.join("index.html").is_file() {
        Some(dir.to_owned())
    } else {
        tracing::warn!(dir = %dir.display(), "no built frontend found; serving the API only");
        None
    }
}
