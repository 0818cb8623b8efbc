//! Administration: staff accounts, units, organisation settings.

pub mod api;
mod exists;
pub mod routes;
pub mod store;

pub use exists::{UnitState, coach_exists, unit_exists};

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the administration endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::create_user)
        .service(routes::list_users)
        .service(routes::get_user)
        .service(routes::update_user)
        .service(routes::deactivate_user)
        .service(routes::end_sessions)
        .service(routes::password_link_for_user)
        .service(routes::reset_mfa)
        .service(routes::list_units)
        .service(routes::create_unit)
        .service(routes::rename_unit)
        .service(routes::close_unit)
        .service(routes::get_organisation)
        .service(routes::update_organisation)
        .service(routes::create_api_client)
        .service(routes::list_api_clients)
        .service(routes::rotate_api_client_secret)
        .service(routes::revoke_api_client)
        .service(routes::update_me);
}
