//! The composition, the top floor: the route table of every area, the HTTP server built
//! on it, and the OpenAPI document generated from the same table (so the spec cannot drift
//! from what is served; `polku openapi` prints it, `openapi/openapi.json` is its committed
//! copy). Nothing below this module imports it; `main`, the CLI and the tests build the
//! application here.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::crypto::Cipher;
use crate::db::DbPool;
use crate::error::{FieldError, Problem};
use crate::permissions::Scope;
use crate::privacy::api::EventCategory;
use crate::state::AppState;
use crate::tokens::TokenKeys;

/// Static parts of the document: info, shared schemas, tags.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Polku API",
        description = "Client management for employment services, rehabilitative work activity, \
                       coaching, youth workshops and integration services.\n\n\
                       Errors are RFC 9457 `application/problem+json` documents.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    // Schemas used only by query parameters are not collected from the routes.
    components(schemas(Problem, FieldError, EventCategory, crate::attendance::api::ReportFormat)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Health and readiness probes"),
        (name = "auth", description = "Login, sessions, passwords and two-factor authentication"),
        (name = "admin", description = "Staff accounts, units, organisation settings and API clients (admin role)"),
        (name = "units", description = "The organisation's units"),
        (name = "clients", description = "Clients; every read and write is recorded in the access log"),
        (name = "consents", description = "Consents given and withdrawn, and disclosures that rely on them or on a law"),
        (name = "periods", description = "Service periods with goals, diary, agreements, assessments and reports; the organisation's code lists and instruments"),
        (name = "attendance", description = "Day sheets of units and groups marked whole, month calendars, regularity and the monthly allowance report"),
        (name = "audit", description = "Access log, disclosure log and reports for the data protection officer"),
    ),
)]
pub struct ApiDoc;

/// Staff use session tokens from `/auth/login`; integrators use OAuth2 client credentials.
#[derive(Debug)]
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token of a staff session (POST /api/v1/auth/login)"))
                    .build(),
            ),
        );
        let scopes = Scopes::from_iter(
            Scope::ALL
                .iter()
                .map(|scope| (scope.as_str().to_owned(), format!("{scope:?}"))),
        );
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new(
                    "/api/v1/oauth/token",
                    scopes,
                ))],
                "API clients of integrators (created by an admin)",
            )),
        );
    }
}

/// The complete OpenAPI document of this build.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure_api)
        .split_for_parts();
    api
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
            .configure(crate::reports::configure)
            .configure(crate::privacy::configure),
    );
}

/// How often a server reads its keyring again, so that new writes use a key added by
/// `polku keys rotate` without a restart.
const KEYRING_REFRESH: Duration = Duration::from_secs(10);

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
                .app_data(crate::http::extract::json_config(settings.json_limit_bytes))
                .app_data(crate::http::extract::path_config())
                .app_data(crate::http::extract::query_config())
                .app_data(web::PayloadConfig::new(settings.json_limit_bytes))
                .configure(configure_api)
                .split_for_parts();
            app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
                .service(web::redirect("/api/docs", "/api/docs/"))
                .configure(extra)
                .configure(|cfg| crate::http::spa::configure(cfg, frontend.as_deref()))
                .default_service(web::to(crate::http::spa::fallback))
                .wrap(from_fn(crate::http::middleware::request_transaction))
                .wrap(from_fn(crate::http::middleware::read_body))
                .wrap(Condition::new(
                    !settings.cors_origins.is_empty(),
                    crate::http::middleware::cors(&settings.cors_origins),
                ))
                .wrap(from_fn(crate::http::middleware::cache_control))
                .wrap(crate::http::middleware::security_headers(settings.hsts))
                .wrap(from_fn(crate::http::middleware::request_id_header))
                .wrap(TracingLogger::default())
        })
        .shutdown_timeout(shutdown_timeout)
        // The request head within 5 s (else 408); the body has its own timeout
        // (`read_body`). A client that stops reading its answer is dropped after 1 s.
        .client_request_timeout(Duration::from_secs(5))
        .client_disconnect_timeout(Duration::from_secs(1));
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
