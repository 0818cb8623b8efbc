//! The data protection officer's area (tietosuoja): searching the access and disclosure
//! log, the client's access report (JSON and printable HTML) and the report of unusual
//! access. The log itself is written by the kernel's `audit`; reading it is logged too.

pub mod api;
pub mod report;
pub mod routes;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the log endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::search_events)
        .service(routes::client_access_report)
        .service(routes::client_access_report_html)
        .service(routes::unusual_access);
}
