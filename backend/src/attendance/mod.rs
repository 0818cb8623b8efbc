//! Attendance (läsnä- ja poissaolot): a day's marks for a whole unit or group in one
//! request, the month calendar and regularity of periods, clients and units, and the
//! monthly expense allowance report that attendance is paid on.

pub mod api;
pub mod holidays;
pub mod regularity;
pub mod routes;
pub mod store;

pub use regularity::of_stored_period as regularity_of_period;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the attendance endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::groups::list_groups)
        .service(routes::groups::create_group)
        .service(routes::groups::get_group)
        .service(routes::groups::update_group)
        .service(routes::get_day)
        .service(routes::put_day)
        .service(routes::period_calendar)
        .service(routes::client_calendar)
        .service(routes::period_regularity)
        .service(routes::client_regularity)
        .service(routes::unit_regularity)
        .service(routes::allowances::allowance_report);
}
