//! Interim reports and final statements (väliraportit, loppulausunnot) of a period:
//! structured sections pre-filled from the period's goals, assessments and attendance,
//! draft → final; a final version is locked and a later change is a new version.

pub mod api;
mod print;
pub mod routes;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the report endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::list_reports)
        .service(routes::create_report)
        .service(routes::update_report)
        .service(routes::finalise_report)
        .service(routes::new_report_version)
        .service(routes::print_report);
}
