//! System endpoints: health and readiness.

pub mod api;
pub mod routes;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the system endpoints (at the root, outside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::healthz).service(routes::readyz);
}
