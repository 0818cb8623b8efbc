//! Interim reports and final statements of a period: structured sections, draft → final.
//! A final version is locked (also in the database); a later change is a new version and
//! the old one stays.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Utc;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{CreateReportRequest, ReportResponse, ReportSections, ReportState, UpdateReportRequest};
use super::print;
use super::store::{self, NewReport, ReportChanges, ReportRow};
use crate::attendance;
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::check::{Checker, today};
use crate::domain::print::{PrintParams, page};
use crate::error::responses::{
    InvalidFields, NoSuchPeriod, NotForClientsUnit, NotLoggedIn, ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::PeriodId;
use crate::periods;
use crate::periods::{GoalStatus, PeriodRow};
use crate::state::AppState;

/// Resource type of reports in the access log.
pub const RESOURCE: &str = "report";
const MAX_SECTION: usize = 10_000;

fn sections_of(row: &ReportRow) -> ReportSections {
    ReportSections {
        situation_at_start: row.situation_at_start.clone(),
        goals_summary: row.goals_summary.clone(),
        attendance_summary: row.attendance_summary.clone(),
        assessment_summary: row.assessment_summary.clone(),
        recommendation: row.recommendation.clone(),
        outcome_summary: row.outcome_summary.clone(),
    }
}

/// The response form of a version.
pub fn response(row: ReportRow) -> ReportResponse {
    ReportResponse {
        sections: sections_of(&row),
        id: row.id,
        period_id: row.period_id.into(),
        kind: row.kind,
        series_id: row.series_id,
        version_no: row.version_no,
        previous_id: row.previous_id,
        state: row.state,
        finalised_at: row.finalised_at,
        finalised_by: row.finalised_by,
        updated_at: row.updated_at,
        version: row.version,
    }
}

/// Checks every given section; absent ones stay absent.
fn checked(check: &mut Checker, sections: &ReportSections) -> ReportSections {
    let mut text =
        |field: &str, value: &Option<String>| check.long_text(field, value.as_deref(), MAX_SECTION);
    ReportSections {
        situation_at_start: text("sections.situation_at_start", &sections.situation_at_start),
        goals_summary: text("sections.goals_summary", &sections.goals_summary),
        attendance_summary: text("sections.attendance_summary", &sections.attendance_summary),
        assessment_summary: text("sections.assessment_summary", &sections.assessment_summary),
        recommendation: text("sections.recommendation", &sections.recommendation),
        outcome_summary: text("sections.outcome_summary", &sections.outcome_summary),
    }
}

/// Pre-filled text of the attendance section: the period's regularity from its start to
/// today (or its end), from the attendance records.
async fn attendance_text(conn: &mut AsyncPgConnection, period: &PeriodRow) -> QueryResult<String> {
    let to = period.ends_on.map_or(today(), |end| end.min(today()));
    if to < period.starts_on {
        return Ok(String::new());
    }
    let range = (period.starts_on, to);
    let Some(r) = attendance::regularity_of_period(conn, period, range).await? else {
        return Ok(String::new());
    };
    let share = r
        .attendance_percentage
        .map(|p| format!(" ({} %)", format!("{p:.1}").replace('.', ",")))
        .unwrap_or_default();
    Ok(format!(
        "{}–{}: suunniteltuja päiviä {}, läsnä {} päivää{share}, {} tuntia. Poissa {} päivää \
         (sairaus {}, sovittu {}, luvaton {}, loma {}, muu {}).",
        range.0.format("%-d.%-m.%Y"),
        range.1.format("%-d.%-m.%Y"),
        r.planned_days_to_date,
        r.present_days,
        format!("{:.1}", r.present_hours).replace('.', ","),
        r.absent_days,
        r.absences.sick,
        r.absences.authorised,
        r.absences.unauthorised,
        r.absences.holiday,
        r.absences.other,
    ))
}

/// Pre-filled text of the goals and assessments sections, from the period's records.
async fn prefill(conn: &mut AsyncPgConnection, period: Uuid) -> QueryResult<(String, String)> {
    let goals = periods::goals_of(conn, period.into()).await?;
    let goals_text = goals
        .iter()
        .map(|g| {
            let status = match g.status {
                GoalStatus::Open => "avoin",
                GoalStatus::InProgress => "työn alla",
                GoalStatus::Achieved => "saavutettu",
                GoalStatus::Dropped => "luovuttu",
            };
            format!("{}. {} ({status})", g.position, g.title)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let assessments = periods::assessments_of(conn, period.into()).await?;
    let assessment_text = assessments
        .iter()
        .map(|a| {
            let total: i32 = a.scores.iter().map(|s| i32::from(s.score)).sum();
            let count = i32::try_from(a.scores.len()).unwrap_or(1).max(1);
            format!(
                "{}: {} pistettä / {} kriteeriä (ka {:.1})",
                a.assessed_on.format("%-d.%-m.%Y"),
                total,
                count,
                f64::from(total) / f64::from(count)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok((goals_text, assessment_text))
}

/// A pre-filled section, cut to what a section holds.
fn section_text(text: String) -> Option<String> {
    (!text.is_empty()).then(|| text.chars().take(MAX_SECTION).collect())
}

/// Every version of a period's reports.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The versions, by report and version", body = Vec<ReportResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<ReportResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let id = path.into_inner();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client, granted) = periods::readable(conn, &actor, id, reason).await?;
            let rows = store::of_period(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                rows.iter().map(|r| r.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(response).collect()))
}

/// Start a report (a draft, version 1). The goals and assessment sections not given are
/// pre-filled from the period's goals and assessments.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id")),
    request_body = CreateReportRequest,
    responses(
        (status = 201, description = "Drafted", body = ReportResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    body: web::Json<CreateReportRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let sections = checked(&mut check, &body.sections);
    check.finish()?;
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (period, client) = periods::writable(conn, &actor, id).await?;
            let (goals_text, assessment_text) = prefill(conn, id.into()).await?;
            let attendance_text = attendance_text(conn, &period).await?;
            let report = Uuid::now_v7();
            let new = NewReport {
                id: report,
                organisation_id,
                client_id: client.id,
                period_id: id,
                kind: body.kind,
                series_id: report,
                version_no: 1,
                previous_id: None,
                situation_at_start: sections.situation_at_start,
                goals_summary: sections.goals_summary.or_else(|| section_text(goals_text)),
                attendance_summary: sections
                    .attendance_summary
                    .or_else(|| section_text(attendance_text)),
                assessment_summary: sections
                    .assessment_summary
                    .or_else(|| section_text(assessment_text)),
                recommendation: sections.recommendation,
                outcome_summary: sections.outcome_summary,
                created_by: actor.audit_ids().0,
            };
            let row = store::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id, "kind": row.kind.as_str(), "version_no": 1 }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// Change the sections of a draft (`If-Match`). A final version is locked: 409.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("report_id" = Uuid, Path, description = "Report version id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateReportRequest,
    responses(
        (status = 200, description = "Changed", body = ReportResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The version is final", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/periods/{period_id}/reports/{report_id}")]
pub async fn update_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(PeriodId, Uuid)>,
    body: web::Json<UpdateReportRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let sections = checked(&mut check, &body.sections);
    check.finish()?;
    let given = body.sections;
    let (id, report) = path.into_inner();
    let row = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client) = periods::writable(conn, &actor, id).await?;
            let current = store::find(conn, id, report, true).await?;
            if current.state == ReportState::Final {
                return Err(ApiError::Conflict(
                    "A final report is locked; make a new version to change it.".to_owned(),
                ));
            }
            if_match.check(current.version)?;
            let pick = |given: &Option<String>, value: Option<String>| given.as_ref().map(|_| value);
            let changes = ReportChanges {
                situation_at_start: pick(&given.situation_at_start, sections.situation_at_start),
                goals_summary: pick(&given.goals_summary, sections.goals_summary),
                attendance_summary: pick(&given.attendance_summary, sections.attendance_summary),
                assessment_summary: pick(&given.assessment_summary, sections.assessment_summary),
                recommendation: pick(&given.recommendation, sections.recommendation),
                outcome_summary: pick(&given.outcome_summary, sections.outcome_summary),
                version: Some(current.version + 1),
                ..Default::default()
            };
            let mut fields: Vec<&'static str> = Vec::new();
            for (field, set) in [
                ("situation_at_start", changes.situation_at_start.is_some()),
                ("goals_summary", changes.goals_summary.is_some()),
                ("attendance_summary", changes.attendance_summary.is_some()),
                ("assessment_summary", changes.assessment_summary.is_some()),
                ("recommendation", changes.recommendation.is_some()),
                ("outcome_summary", changes.outcome_summary.is_some()),
            ] {
                if set {
                    fields.push(field);
                }
            }
            let row = store::update(conn, report, &changes).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client.id],
                vec![report],
            )
            .fields(fields);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// Finalise a draft: it is locked from then on.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("report_id" = Uuid, Path, description = "Report version id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    responses(
        (status = 200, description = "Finalised", body = ReportResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already final", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
    ),
)]
#[post("/periods/{period_id}/reports/{report_id}/finalise")]
pub async fn finalise_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(PeriodId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let (id, report) = path.into_inner();
    let row = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client) = periods::writable(conn, &actor, id).await?;
            let current = store::find(conn, id, report, true).await?;
            if current.state == ReportState::Final {
                return Err(ApiError::Conflict("The report is already final.".to_owned()));
            }
            if_match.check(current.version)?;
            let changes = ReportChanges {
                state: Some(ReportState::Final),
                finalised_at: Some(Some(Utc::now())),
                finalised_by: Some(actor.audit_ids().0),
                version: Some(current.version + 1),
                ..Default::default()
            };
            let row = store::update(conn, report, &changes).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client.id],
                vec![report],
            )
            .fields(["state"])
            .with(json!({ "finalised": true }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// Make a new draft version of a final report (its sections copied); the final version
/// stays as it was. Only from the report's latest version, and only when that is final.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("report_id" = Uuid, Path, description = "Report version id"),
    ),
    responses(
        (status = 201, description = "The new draft version", body = ReportResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the latest version, or still a draft", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/periods/{period_id}/reports/{report_id}/versions")]
pub async fn new_report_version(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(PeriodId, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let (id, report) = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (_, client) = periods::writable(conn, &actor, id).await?;
            let current = store::find(conn, id, report, true).await?;
            let latest = store::latest_version_no(conn, current.series_id).await?;
            if latest != Some(current.version_no) {
                return Err(ApiError::Conflict(
                    "Make the new version from the latest one.".to_owned(),
                ));
            }
            if current.state != ReportState::Final {
                return Err(ApiError::Conflict(
                    "The latest version is a draft: edit it.".to_owned(),
                ));
            }
            let new = NewReport {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client.id,
                period_id: id,
                kind: current.kind,
                series_id: current.series_id,
                version_no: current.version_no + 1,
                previous_id: Some(current.id),
                situation_at_start: current.situation_at_start.clone(),
                goals_summary: current.goals_summary.clone(),
                attendance_summary: current.attendance_summary.clone(),
                assessment_summary: current.assessment_summary.clone(),
                recommendation: current.recommendation.clone(),
                outcome_summary: current.outcome_summary.clone(),
                created_by: actor.audit_ids().0,
            };
            let row = store::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id, "version_no": row.version_no, "previous_id": current.id }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// A report version as a printable page (prints to a clean A4) in the client's language
/// of service.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("report_id" = Uuid, Path, description = "Report version id"),
        PrintParams,
    ),
    responses(
        (status = 200, description = "The page", body = String, content_type = "text/html"),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or report", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/periods/{period_id}/reports/{report_id}/print")]
pub async fn print_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(PeriodId, Uuid)>,
    params: web::Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let (id, report) = path.into_inner();
    let lang = params.lang;
    let (row, period, client) = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (period, client, _) = periods::readable(conn, &actor, id, None).await?;
            access::write(&actor, client.unit_id)?;
            let row = store::find(conn, id, report, false).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Print,
                RESOURCE,
                vec![client.id],
                vec![report],
            );
            audit::record(conn, &meta, event).await?;
            Ok((row, period, client))
        }
        .boxed()
    })
    .await?;
    let language = crate::domain::print::language(lang, client.language);
    let html = print::report(language, &client, &period, &response(row))?;
    Ok(page(html))
}
