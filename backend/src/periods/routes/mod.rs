//! Period endpoints: open, read, list, correct and close periods, the "needs attention"
//! list and a period's whole page. Every one writes the access log. The submodules hold
//! the endpoints of what is documented in a period, and of the code lists and instruments.

pub mod agreements;
pub mod assessments;
pub mod catalogue;
pub mod diary;
pub mod goals;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;

use self::catalogue::require_code;
use super::api::{
    AttentionItem, AttentionParams, ClosePeriodRequest, CodeList, CreatePeriodRequest, Outcome,
    PeriodListItem, PeriodListParams, PeriodMode, PeriodPage, PeriodResponse, UpdatePeriodRequest,
};
use super::store::{self, NewPeriod, PeriodChanges, PeriodRow};
use crate::admin::{UnitState, coach_exists, unit_exists};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::clients::ClientStatus;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::changes::{self, Change};
use crate::domain::check::{Checker, today};
use crate::error::responses::{
    InvalidFields, InvalidParameters, NoSuchClient, NoSuchPeriod, NotAllowed, NotForClientsUnit, NotLoggedIn,
    ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::{ClientId, PeriodId};
use crate::pagination::{Page, PageParams};
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of periods in the access log.
pub const RESOURCE: &str = "period";
/// Longest workplace name.
const MAX_WORKPLACE: usize = 200;
/// Longest closing note.
const MAX_NOTE: usize = 4000;

/// The response of one period (its warnings need to know whether KTT rules apply).
async fn respond(conn: &mut AsyncPgConnection, row: PeriodRow) -> QueryResult<PeriodResponse> {
    let ktt = store::catalogue::is_ktt(conn, &row.service_type).await?;
    Ok(store::response(row, ktt, today()))
}

fn check_schedule(
    check: &mut Checker,
    days: Option<i16>,
    hours: Option<f64>,
    weekdays: &[i16],
) -> Option<i16> {
    if days.is_some_and(|d| !(1..=7).contains(&d)) {
        check.fail("days_per_week", "out_of_range", "Use 1 to 7.");
    }
    if hours.is_some_and(|h| !(0.25..=24.0).contains(&h) || !h.is_finite()) {
        check.fail("hours_per_day", "out_of_range", "Use 0.25 to 24 hours.");
    }
    let mut sorted = weekdays.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != weekdays.len() || weekdays.iter().any(|d| !(1..=7).contains(d)) {
        check.fail(
            "weekdays",
            "invalid",
            "Give distinct ISO weekdays 1 (Monday) to 7 (Sunday).",
        );
    }
    match (days, weekdays.len()) {
        (_, 0) => days,
        (None, n) => i16::try_from(n).ok(),
        (Some(d), n) if usize::try_from(d).ok() == Some(n) => days,
        (Some(_), _) => {
            check.fail(
                "weekdays",
                "mismatch",
                "The weekdays do not match the days per week.",
            );
            days
        }
    }
}

fn check_dates(check: &mut Checker, starts_on: NaiveDate, planned_end_on: Option<NaiveDate>) {
    let (earliest, latest) = (
        NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX),
    );
    if starts_on < earliest || starts_on > latest {
        check.fail("starts_on", "out_of_range", "Give a start between 1990 and 2100.");
    }
    if planned_end_on.is_some_and(|end| end < starts_on) {
        check.fail(
            "planned_end_on",
            "before_start",
            "The planned end cannot be before the start.",
        );
    }
}

/// Open a period for a client. A schedule outside the rules of its service type is saved
/// with warnings in the response.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = CreatePeriodRequest,
    responses(
        (status = 201, description = "Opened (see `warnings`)", body = PeriodResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchClient,
        (status = 409, description = "The client is closed", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/clients/{id}/periods")]
pub async fn create_period(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    body: web::Json<CreatePeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let workplace = check.text("workplace", body.workplace.as_deref(), MAX_WORKPLACE);
    let days = check_schedule(&mut check, body.days_per_week, body.hours_per_day, &body.weekdays);
    check_dates(&mut check, body.starts_on, body.planned_end_on);
    check.date("notified_on", body.notified_on);
    check.date("planned_end_on", body.planned_end_on);
    check.finish()?;
    let client = path.into_inner();
    let organisation_id = actor.organisation_id;
    let mut weekdays = body.weekdays.clone();
    weekdays.sort_unstable();
    let new = NewPeriod {
        id: PeriodId::new(),
        organisation_id,
        client_id: client,
        service_type: body.service_type.trim().to_owned(),
        notified_on: body.notified_on,
        starts_on: body.starts_on,
        planned_end_on: body.planned_end_on,
        referrer: body.referrer.as_deref().map(str::trim).map(str::to_owned),
        unit_id: body.unit_id.into(),
        workplace,
        coach_id: body.coach_id,
        mode: body.mode.unwrap_or(PeriodMode::Individual),
        days_per_week: days,
        hours_per_day: body.hours_per_day,
        weekdays,
        created_by: actor.audit_ids().0,
    };
    let period = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let client_row = crate::clients::writable(conn, &actor, client).await?;
            // Held until commit: the client cannot be closed while its period is opened.
            crate::clients::find_for_update(conn, client).await?;
            if client_row.status != ClientStatus::Active {
                return Err(ApiError::Conflict(
                    "Reopen the client before opening a period.".to_owned(),
                ));
            }
            require_code(
                conn,
                CodeList::ServiceType,
                &new.service_type,
                "service_type",
                true,
            )
            .await?;
            if let Some(referrer) = &new.referrer {
                require_code(conn, CodeList::Referrer, referrer, "referrer", true).await?;
            }
            unit_exists(conn, "unit_id", new.unit_id, UnitState::Open).await?;
            if let Some(coach) = new.coach_id {
                coach_exists(conn, "coach_id", coach.into()).await?;
            }
            let row = store::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client],
                vec![row.id],
            )
            .with(json!({ "service_type": row.service_type }));
            audit::record(conn, &meta, event).await?;
            Ok(respond(conn, row).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(period.version))
        .json(period))
}

/// A client's periods, earliest start first (also overlapping ones of different types).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The periods", body = Vec<PeriodResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/periods")]
pub async fn list_client_periods(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<PeriodResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let client = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
            let rows = store::of_client(conn, client).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client],
                rows.iter().map(|row| row.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            let ktt = store::catalogue::ktt_types(conn).await?;
            let today = today();
            Ok(rows
                .into_iter()
                .map(|row| {
                    let is_ktt = ktt.contains(&row.service_type);
                    store::response(row, is_ktt, today)
                })
                .collect())
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// One period.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The period", body = PeriodResponse),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}")]
pub async fn get_period(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let id = path.into_inner();
    let period = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (row, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                vec![id],
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(respond(conn, row).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(period.version))
        .json(period))
}

/// Correct a period (`If-Match`); the previous values go to the rectification history.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdatePeriodRequest,
    responses(
        (status = 200, description = "Changed (see `warnings`)", body = PeriodResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/periods/{period_id}")]
pub async fn update_period(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<PeriodId>,
    body: web::Json<UpdatePeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let workplace = body
        .workplace
        .as_ref()
        .map(|w| check.text("workplace", w.as_deref(), MAX_WORKPLACE));
    let reason = check.text("reason", body.reason.as_deref(), 500);
    check.date("notified_on", body.notified_on.flatten());
    check.date("planned_end_on", body.planned_end_on.flatten());
    check.finish()?;
    let id = path.into_inner();
    let cipher = state.cipher.clone();
    let period = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (current, client) = store::writable(conn, &actor, id).await?;
            if_match.check(current.version)?;
            let starts_on = body.starts_on.unwrap_or(current.starts_on);
            let planned_end_on = body.planned_end_on.unwrap_or(current.planned_end_on);
            let days = body.days_per_week.unwrap_or(current.days_per_week);
            let hours = body.hours_per_day.unwrap_or(current.hours_per_day);
            let mut weekdays = body.weekdays.clone().unwrap_or_else(|| current.weekdays.clone());
            let mut check = Checker::default();
            let days = check_schedule(&mut check, days, hours, &weekdays);
            check_dates(&mut check, starts_on, planned_end_on);
            if current.ends_on.is_some_and(|end| end < starts_on) {
                check.fail("starts_on", "after_end", "The start cannot be after the end.");
            }
            check.finish()?;
            weekdays.sort_unstable();
            if let Some(code) = &body.service_type
                && *code != current.service_type
            {
                require_code(conn, CodeList::ServiceType, code, "service_type", true).await?;
            }
            if let Some(Some(code)) = &body.referrer
                && Some(code) != current.referrer.as_ref()
            {
                require_code(conn, CodeList::Referrer, code, "referrer", true).await?;
            }
            if let Some(unit) = body.unit_id
                && unit != current.unit_id
            {
                unit_exists(conn, "unit_id", unit.into(), UnitState::Open).await?;
            }
            if let Some(Some(coach)) = body.coach_id
                && Some(coach) != current.coach_id
            {
                coach_exists(conn, "coach_id", coach.into()).await?;
            }
            let mut set = PeriodChanges::default();
            let mut change = Change {
                reason,
                ..Change::default()
            };
            macro_rules! field {
                ($name:ident, $new:expr) => {
                    if let Some(new) = $new
                        && new != current.$name
                    {
                        change.push(stringify!($name), json!(current.$name));
                        set.$name = Some(new.into());
                    }
                };
            }
            field!(service_type, body.service_type.clone());
            field!(notified_on, body.notified_on);
            field!(starts_on, body.starts_on);
            field!(planned_end_on, body.planned_end_on);
            field!(referrer, body.referrer.clone());
            field!(unit_id, body.unit_id);
            field!(workplace, workplace);
            field!(coach_id, body.coach_id);
            field!(days_per_week, (days != current.days_per_week).then_some(days));
            field!(hours_per_day, body.hours_per_day);
            field!(weekdays, body.weekdays.as_ref().map(|_| weekdays.clone()));
            if let Some(mode) = body.mode
                && mode != current.mode
            {
                change.push("mode", json!(current.mode.as_str()));
                set.mode = Some(mode);
            }
            let row = if change.fields.is_empty() {
                current
            } else {
                set.version = Some(current.version + 1);
                changes::Update::new(client.id, (RESOURCE, id.into()), &change)
                    .write(conn, &meta, &cipher, &actor, async |conn| {
                        store::update(conn, id, &set).await
                    })
                    .await?
            };
            Ok(respond(conn, row).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(period.version))
        .json(period))
}

/// End a period with its outcome (where the client went) and a closing note.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = ClosePeriodRequest,
    responses(
        (status = 200, description = "Ended", body = PeriodResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        (status = 409, description = "Already ended", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/close")]
pub async fn close_period(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<PeriodId>,
    body: web::Json<ClosePeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let note = check.long_text("closing_note", body.closing_note.as_deref(), MAX_NOTE);
    if body.ends_on > today() {
        check.fail("ends_on", "in_future", "End the period on or after its last day.");
    }
    check.finish()?;
    let id = path.into_inner();
    let period = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (current, client) = store::writable(conn, &actor, id).await?;
            if current.ends_on.is_some() {
                return Err(ApiError::Conflict("The period has already ended.".to_owned()));
            }
            if_match.check(current.version)?;
            if body.ends_on < current.starts_on {
                return Err(ApiError::invalid_field(
                    "ends_on",
                    "before_start",
                    "The end cannot be before the start.",
                ));
            }
            if let Some(code) = &body.outcome_code {
                let value = require_code(conn, CodeList::Outcome, code, "outcome_code", true).await?;
                if value.parent_code != Some(body.outcome) {
                    return Err(ApiError::invalid_field(
                        "outcome_code",
                        "wrong_outcome",
                        "The sub-code belongs to another outcome.",
                    ));
                }
            }
            let changes = PeriodChanges {
                ends_on: Some(Some(body.ends_on)),
                outcome: Some(Some(body.outcome)),
                outcome_code: Some(body.outcome_code.clone()),
                closing_note: Some(note),
                version: Some(current.version + 1),
                ..Default::default()
            };
            let row = store::update(conn, id, &changes).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client.id],
                vec![id],
            )
            .fields(["ends_on", "outcome", "outcome_code", "closing_note"])
            .with(json!({ "closed": true, "outcome": row.outcome.map(Outcome::as_str) }));
            audit::record(conn, &meta, event).await?;
            Ok(respond(conn, row).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(period.version))
        .json(period))
}

/// Periods of clients the caller may see: my periods (`mine=true`), a unit's active
/// periods (`unit_id`), periods ending within N days (`ending_within_days`); by id.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(PeriodListParams),
    responses(
        (status = 200, description = "One page", body = Page<PeriodListItem>),
        NotLoggedIn,
        NotAllowed,
        InvalidParameters,
    ),
)]
#[get("/periods")]
pub async fn list_periods(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<PeriodListParams>,
) -> Result<web::Json<Page<PeriodListItem>>, ApiError> {
    let units = access::listable_units(&actor)?;
    let params = params.into_inner();
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    if params
        .ending_within_days
        .is_some_and(|days| !(1..=365).contains(&days))
    {
        return Err(ApiError::invalid_field(
            "ending_within_days",
            "out_of_range",
            "Use 1 to 365.",
        ));
    }
    let me = if params.mine { Some(actor.user_id()?) } else { None };
    let today = today();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::list(conn, units, me, params, today, limit).await?;
            let shown: Vec<&(PeriodRow, String, String)> = rows
                .iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .collect();
            if !shown.is_empty() {
                let mut clients: Vec<ClientId> = shown.iter().map(|(p, _, _)| p.client_id).collect();
                clients.sort_unstable();
                clients.dedup();
                let event = AuditEvent::client(
                    actor.organisation_id,
                    actor.audit(),
                    ClientAction::Read,
                    RESOURCE,
                    clients,
                    shown.iter().map(|(p, _, _)| p.id).collect(),
                )
                .with(json!({ "list": true }));
                audit::record(conn, &meta, event).await?;
            }
            let ktt = store::catalogue::ktt_types(conn).await?;
            Ok((rows, ktt))
        }
        .boxed()
    })
    .await?;
    let (rows, ktt) = rows;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |(row, _, _)| row.id.into(),
        |(row, first, last)| {
            let is_ktt = ktt.contains(&row.service_type);
            PeriodListItem {
                client_name: format!("{first} {last}"),
                period: store::response(row, is_ktt, today),
            }
        },
    )))
}

/// Periods that need attention, most urgent first: planned ends within 14 days,
/// activation-plan reviews of KTT periods reaching 24 months (within 30 days), and
/// final statements missing for periods ended in the last 90 days or ending within 14.
/// Only clients the caller may see; `mine=true` narrows to the caller's periods.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(AttentionParams),
    responses(
        (status = 200, description = "At most 500 items, by due date", body = Vec<AttentionItem>),
        NotLoggedIn,
        NotAllowed,
    ),
)]
#[get("/periods/attention")]
pub async fn needs_attention(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<AttentionParams>,
) -> Result<web::Json<Vec<AttentionItem>>, ApiError> {
    let units = access::listable_units(&actor)?;
    let me = if params.mine { Some(actor.user_id()?) } else { None };
    let unit = params.unit_id;
    let today = today();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::needing_attention(conn, units, me, unit, today).await?;
            if !rows.is_empty() {
                let mut clients: Vec<ClientId> = rows.iter().map(|r| r.client_id).collect();
                clients.sort_unstable();
                clients.dedup();
                let mut ids: Vec<PeriodId> = rows.iter().map(|r| r.period_id).collect();
                ids.sort_unstable();
                ids.dedup();
                let event = AuditEvent::client(
                    actor.organisation_id,
                    actor.audit(),
                    ClientAction::Read,
                    RESOURCE,
                    clients,
                    ids,
                )
                .with(json!({ "list": "attention" }));
                audit::record(conn, &meta, event).await?;
            }
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| AttentionItem {
                period_id: r.period_id.into(),
                client_id: r.client_id.into(),
                client_name: format!("{} {}", r.first_names, r.last_name),
                service_type: r.service_type,
                reason: r.reason,
                due_on: r.due_on,
            })
            .collect(),
    ))
}

/// A period's whole page at once: the period, its goals with follow-ups, the latest 20
/// diary entries the caller may see, and its assessments. One access-log event names
/// every record shown.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The page", body = PeriodPage),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}/page")]
pub async fn period_page(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<PeriodPage>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let id = path.into_inner();
    let cipher = state.cipher.clone();
    let organisation_id = actor.organisation_id;
    let page = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (row, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let goals = store::goals::load(conn, id).await?;
            let diary = store::diary::latest(conn, id, sensitive, 20).await?;
            let assessments = store::assessments::load(conn, id).await?;
            let mut records = vec![id.uuid()];
            records.extend(goals.iter().map(|g| g.id));
            records.extend(diary.iter().map(|d| d.id));
            records.extend(assessments.iter().map(|a| a.id));
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                records,
            )
            .with(json!({ "page": true, "diary_entries": diary.len() }));
            audit::record(conn, &meta, granted.mark(event)).await?;
            let (edit_window, ktt) = store::diary::edit_window_and_ktt(conn, &row.service_type).await?;
            let names = store::diary::author_names(conn, &diary).await?;
            Ok(PeriodPage {
                period: store::response(row, ktt, today()),
                goals,
                diary: diary
                    .into_iter()
                    .map(|entry| diary::response(entry, organisation_id, &names, &cipher, edit_window))
                    .collect::<Result<Vec<_>, _>>()?,
                assessments,
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(page))
}
