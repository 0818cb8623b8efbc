//! Service periods (jaksot): the period itself with its service type, schedule and
//! outcome, and what is documented in it — goals, the diary, agreements, assessments,
//! interim reports and final statements. A period is reached through its client: the
//! client's unit decides who may read or write it, and every access is logged.
//!
//! What other areas use of a period (attendance, reports) is re-exported here.

pub mod agreements;
pub mod api;
pub mod assessments;
pub mod catalogue;
pub mod diary;
pub mod generate;
pub mod goals;
pub mod print;
pub mod routes;
pub mod rules;
pub mod store;

pub use api::{GoalStatus, RuleWarning};
pub use assessments::load as assessments_of;
pub use goals::load as goals_of;
pub use store::{PeriodRow, readable, writable};

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the period endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(catalogue::list_code_values)
        .service(catalogue::create_code_value)
        .service(catalogue::update_code_value)
        .service(catalogue::list_instruments)
        .service(catalogue::create_instrument)
        .service(routes::create_period)
        .service(routes::list_client_periods)
        .service(diary::client_diary)
        .service(routes::list_periods)
        .service(routes::needs_attention)
        .service(routes::get_period)
        .service(routes::update_period)
        .service(routes::close_period)
        .service(routes::period_page)
        .service(goals::list_goals)
        .service(goals::create_goal)
        .service(goals::update_goal)
        .service(goals::create_follow_up)
        .service(diary::list_diary)
        .service(diary::create_diary_entry)
        .service(diary::update_diary_entry)
        .service(agreements::list_agreements)
        .service(agreements::create_agreement)
        .service(agreements::update_agreement)
        .service(agreements::print_agreement)
        .service(assessments::list_assessments)
        .service(assessments::create_assessment)
        .service(assessments::assessment_chart);
}
