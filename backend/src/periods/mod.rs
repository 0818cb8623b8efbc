//! Service periods (jaksot): the period itself with its service type, schedule and
//! outcome, and what is documented in it — goals, the diary, agreements, assessments,
//! interim reports and final statements. A period is reached through its client: the
//! client's unit decides who may read or write it, and every access is logged.
//!
//! The area's shape: `api` (wire types), `routes` (handlers: `routes/mod.rs` the period
//! itself, `routes/goals.rs`, `routes/diary.rs`, … one file per thing documented in it)
//! and `store` (every query, with its row types, in the same files). What other areas use
//! of a period (attendance, reports) is re-exported here.

pub mod api;
pub mod generate;
mod print;
pub mod routes;
pub mod rules;
pub mod store;

pub use api::{GoalStatus, RuleWarning};
pub use store::assessments::load as assessments_of;
pub use store::diary::BODY as DIARY_BODY;
pub use store::goals::load as goals_of;
pub use store::{PeriodRow, readable, writable};

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the period endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::catalogue::list_code_values)
        .service(routes::catalogue::create_code_value)
        .service(routes::catalogue::update_code_value)
        .service(routes::catalogue::list_instruments)
        .service(routes::catalogue::create_instrument)
        .service(routes::create_period)
        .service(routes::list_client_periods)
        .service(routes::diary::client_diary)
        .service(routes::list_periods)
        .service(routes::needs_attention)
        .service(routes::get_period)
        .service(routes::update_period)
        .service(routes::close_period)
        .service(routes::period_page)
        .service(routes::goals::list_goals)
        .service(routes::goals::create_goal)
        .service(routes::goals::update_goal)
        .service(routes::goals::create_follow_up)
        .service(routes::diary::list_diary)
        .service(routes::diary::create_diary_entry)
        .service(routes::diary::update_diary_entry)
        .service(routes::agreements::list_agreements)
        .service(routes::agreements::create_agreement)
        .service(routes::agreements::update_agreement)
        .service(routes::agreements::print_agreement)
        .service(routes::assessments::list_assessments)
        .service(routes::assessments::create_assessment)
        .service(routes::assessments::assessment_chart);
}
