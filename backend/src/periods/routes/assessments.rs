//! Assessments of a period on the organisation's instruments: dated scores per criterion
//! by the coach or the client, and the scores over time ready for a chart.

use actix_web::{HttpResponse, get, post, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::check::{Checker, today};
use crate::error::responses::{NoSuchPeriod, NotForClientsUnit, NotLoggedIn, ReasonRequired};
use crate::error::{ApiError, FieldError, Problem};
use crate::http::RequestMeta;
use crate::ids::PeriodId;
use crate::periods::api::{
    AssessmentChart, AssessmentResponse, Assessor, ChartParams, ChartPoint, ChartSeries,
    CreateAssessmentRequest,
};
use crate::periods::store;
use crate::periods::store::assessments::{AssessmentRow, ScoreRow, assessment_response};
use crate::state::AppState;

/// Resource type of assessments in the access log.
pub const RESOURCE: &str = "assessment";
const MAX_NOTES: usize = 4000;

/// A period's assessments, oldest first.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The assessments", body = Vec<AssessmentResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}/assessments")]
pub async fn list_assessments(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<AssessmentResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let id = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let out = store::assessments::load(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                out.iter().map(|a| a.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(out)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// Record an assessment: a score for every criterion of the instrument, on its scale.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id")),
    request_body = CreateAssessmentRequest,
    responses(
        (status = 201, description = "Recorded", body = AssessmentResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        (status = 422, description = "Invalid fields (e.g. a score outside the scale)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/periods/{period_id}/assessments")]
pub async fn create_assessment(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    body: web::Json<CreateAssessmentRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let notes = check.long_text("notes", body.notes.as_deref(), MAX_NOTES);
    check.date("assessed_on", body.assessed_on);
    let assessed_on = body.assessed_on.unwrap_or_else(today);
    if assessed_on > today() {
        check.fail("assessed_on", "in_future", "Cannot be after today.");
    }
    check.finish()?;
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let out = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (period, client) = store::writable(conn, &actor, id).await?;
            let instrument = store::catalogue::find_instrument(conn, body.instrument_id)
                .await?
                .filter(|i| i.active)
                .ok_or_else(|| {
                    ApiError::invalid_field("instrument_id", "unknown", "No such instrument in use.")
                })?;
            let criteria = store::catalogue::criteria_of(conn, instrument.id).await?;
            let mut errors = Vec::new();
            if assessed_on < period.starts_on {
                errors.push(FieldError::new(
                    "assessed_on",
                    "before_period",
                    "The date is before the period starts.",
                ));
            }
            for (index, score) in body.scores.iter().enumerate() {
                match criteria.iter().find(|c| c.id == score.criterion_id) {
                    None => errors.push(FieldError::new(
                        format!("scores[{index}].criterion_id"),
                        "unknown",
                        "Not a criterion of this instrument.",
                    )),
                    Some(c) if score.score < c.scale_min || score.score > c.scale_max => {
                        errors.push(FieldError::new(
                            format!("scores[{index}].score"),
                            "out_of_scale",
                            format!("Use {} to {}.", c.scale_min, c.scale_max),
                        ));
                    }
                    Some(_) => {}
                }
                if body.scores[..index]
                    .iter()
                    .any(|s| s.criterion_id == score.criterion_id)
                {
                    errors.push(FieldError::new(
                        format!("scores[{index}].criterion_id"),
                        "duplicate",
                        "One score per criterion.",
                    ));
                }
            }
            if criteria
                .iter()
                .any(|c| !body.scores.iter().any(|s| s.criterion_id == c.id))
            {
                errors.push(FieldError::new(
                    "scores",
                    "incomplete",
                    "Score every criterion of the instrument.",
                ));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let row = AssessmentRow {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client.id,
                period_id: id,
                instrument_id: instrument.id,
                assessed_on,
                assessor: body.assessor.unwrap_or(Assessor::Coach),
                notes,
                created_by: actor.audit_ids().0,
            };
            let rows: Vec<ScoreRow> = body
                .scores
                .iter()
                .map(|s| ScoreRow {
                    organisation_id,
                    assessment_id: row.id,
                    criterion_id: s.criterion_id,
                    score: s.score,
                })
                .collect();
            store::assessments::insert(conn, &row, &rows).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id, "instrument": instrument.code }));
            audit::record(conn, &meta, event).await?;
            Ok(assessment_response(row, &rows))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A period's scores on one instrument over time: one line per criterion, ready for a
/// chart.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ChartParams),
    responses(
        (status = 200, description = "The chart data", body = AssessmentChart),
        NotLoggedIn,
        ReasonRequired,
        (status = 404, description = "No such period or instrument", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/periods/{period_id}/assessments/chart")]
pub async fn assessment_chart(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ChartParams>,
) -> Result<web::Json<AssessmentChart>, ApiError> {
    access::require_read(&actor)?;
    let params = params.into_inner();
    let reason = access::reason(params.access_reason.as_deref())?;
    let id = path.into_inner();
    let instrument = params.instrument_id;
    let chart = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client, granted) = store::readable(conn, &actor, id, reason).await?;
            store::catalogue::find_instrument(conn, instrument)
                .await?
                .ok_or(ApiError::NotFound)?;
            let criteria = store::catalogue::criteria_of(conn, instrument).await?;
            let (rows, all) = store::assessments::rows_of(conn, id, Some(instrument)).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                rows.iter().map(|r| r.id).collect(),
            )
            .with(json!({ "chart": instrument }));
            audit::record(conn, &meta, granted.mark(event)).await?;
            let series = criteria
                .into_iter()
                .map(|c| ChartSeries {
                    points: rows
                        .iter()
                        .filter_map(|row| {
                            all.iter()
                                .find(|s| s.assessment_id == row.id && s.criterion_id == c.id)
                                .map(|s| ChartPoint {
                                    date: row.assessed_on,
                                    score: s.score,
                                    assessor: row.assessor,
                                })
                        })
                        .collect(),
                    criterion_id: c.id,
                    name_fi: c.name_fi,
                    name_sv: c.name_sv,
                    name_en: c.name_en,
                    scale_min: c.scale_min,
                    scale_max: c.scale_max,
                })
                .collect();
            Ok(AssessmentChart {
                instrument_id: instrument,
                series,
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(chart))
}
