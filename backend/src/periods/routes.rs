//! Period endpoints: open, read, list, correct and close periods, the "needs attention"
//! list and a period's whole page. Every one writes the access log.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::FutureExt;
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::api::{
    AttentionItem, AttentionParams, AttentionReason, ClosePeriodRequest, CodeList, CreatePeriodRequest,
    PeriodListParams, PeriodMode, PeriodPage, PeriodResponse, UpdatePeriodRequest,
};
use super::catalogue::{self, require_code};
use super::store::{self, NewPeriod, PeriodChanges, PeriodRow};
use super::{assessments, diary, goals};
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
use crate::pagination::{Page, PageParams};
use crate::permissions::Permission;
use crate::schema::{clients, code_values, periods};
use crate::state::AppState;

/// Resource type of periods in the access log.
pub const RESOURCE: &str = "period";
/// Longest workplace name.
const MAX_WORKPLACE: usize = 200;
/// Longest closing note.
const MAX_NOTE: usize = 4000;

/// The organisation's service types that follow the KTT rules.
pub async fn ktt_types(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    code_values::table
        .filter(code_values::list.eq(CodeList::ServiceType.as_str()))
        .filter(code_values::ktt_rules.eq(true))
        .select(code_values::code)
        .load(conn)
        .await
}

/// The response of one period (its warnings need to know whether KTT rules apply).
pub async fn respond(conn: &mut AsyncPgConnection, row: PeriodRow) -> QueryResult<PeriodResponse> {
    let ktt = catalogue::is_ktt(conn, &row.service_type).await?;
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
    path: web::Path<Uuid>,
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
        id: Uuid::now_v7(),
        organisation_id,
        client_id: client,
        service_type: body.service_type.trim().to_owned(),
        notified_on: body.notified_on,
        starts_on: body.starts_on,
        planned_end_on: body.planned_end_on,
        referrer: body.referrer.as_deref().map(str::trim).map(str::to_owned),
        unit_id: body.unit_id,
        workplace,
        coach_id: body.coach_id,
        mode: body.mode.unwrap_or(PeriodMode::Individual).as_str(),
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
            if client_row.status != ClientStatus::Active.as_str() {
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
                coach_exists(conn, "coach_id", coach).await?;
            }
            let row: PeriodRow = diesel::insert_into(periods::table)
                .values(&new)
                .returning(PeriodRow::as_returning())
                .get_result(conn)
                .await?;
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
    path: web::Path<Uuid>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<PeriodResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let client = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
            let rows: Vec<PeriodRow> = periods::table
                .filter(periods::client_id.eq(client))
                .order((periods::starts_on, periods::id))
                .select(PeriodRow::as_select())
                .load(conn)
                .await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client],
                rows.iter().map(|row| row.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            let ktt = ktt_types(conn).await?;
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
    path: web::Path<Uuid>,
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

/// A value of a field for the rectification history.
fn put(previous: &mut Map<String, Value>, fields: &mut Vec<&'static str>, field: &'static str, old: Value) {
    fields.push(field);
    previous.insert(field.to_owned(), old);
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
    path: web::Path<Uuid>,
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
                unit_exists(conn, "unit_id", unit, UnitState::Open).await?;
            }
            if let Some(Some(coach)) = body.coach_id
                && Some(coach) != current.coach_id
            {
                coach_exists(conn, "coach_id", coach).await?;
            }
            let mut changes = PeriodChanges::default();
            let (mut fields, mut previous) = (Vec::new(), Map::new());
            macro_rules! field {
                ($name:ident, $new:expr) => {
                    if let Some(new) = $new
                        && new != current.$name
                    {
                        put(
                            &mut previous,
                            &mut fields,
                            stringify!($name),
                            json!(current.$name),
                        );
                        changes.$name = Some(new);
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
                && mode.as_str() != current.mode
            {
                put(&mut previous, &mut fields, "mode", json!(current.mode));
                changes.mode = Some(mode.as_str());
            }
            let row = if fields.is_empty() {
                current
            } else {
                changes.version = Some(current.version + 1);
                let change = Change {
                    fields: fields.clone(),
                    previous,
                    previous_secret: Map::new(),
                    sensitive: false,
                    reason,
                };
                changes::record(conn, &cipher, &actor, client.id, (RESOURCE, id), &change).await?;
                let row: PeriodRow = diesel::update(periods::table.find(id))
                    .set(&changes)
                    .returning(PeriodRow::as_returning())
                    .get_result(conn)
                    .await?;
                let event = AuditEvent::client(
                    actor.organisation_id,
                    actor.audit(),
                    ClientAction::Update,
                    RESOURCE,
                    vec![client.id],
                    vec![id],
                )
                .fields(fields);
                audit::record(conn, &meta, event).await?;
                row
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
    path: web::Path<Uuid>,
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
                if value.parent_code.as_deref() != Some(body.outcome.as_str()) {
                    return Err(ApiError::invalid_field(
                        "outcome_code",
                        "wrong_outcome",
                        "The sub-code belongs to another outcome.",
                    ));
                }
            }
            let changes = PeriodChanges {
                ends_on: Some(Some(body.ends_on)),
                outcome: Some(Some(body.outcome.as_str().to_owned())),
                outcome_code: Some(body.outcome_code.clone()),
                closing_note: Some(note),
                version: Some(current.version + 1),
                ..Default::default()
            };
            let row: PeriodRow = diesel::update(periods::table.find(id))
                .set(&changes)
                .returning(PeriodRow::as_returning())
                .get_result(conn)
                .await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client.id],
                vec![id],
            )
            .fields(["ends_on", "outcome", "outcome_code", "closing_note"])
            .with(json!({ "closed": true, "outcome": row.outcome }));
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

/// A period in a list, with its client's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodListItem {
    /// Client's name.
    pub client_name: String,
    /// The period.
    pub period: PeriodResponse,
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
            let mut query = periods::table
                .inner_join(clients::table)
                .select((PeriodRow::as_select(), clients::first_names, clients::last_name))
                .order(periods::id)
                .limit(limit + 1)
                .into_boxed();
            if let Some(units) = units {
                query = query.filter(clients::unit_id.eq_any(units));
            }
            if let Some(me) = me {
                query = query.filter(periods::coach_id.eq(me));
            }
            if let Some(unit) = params.unit_id {
                query = query.filter(periods::unit_id.eq(unit));
            }
            if let Some(service_type) = params.service_type {
                query = query.filter(periods::service_type.eq(service_type));
            }
            if params.active.unwrap_or(true) {
                query = query.filter(periods::ends_on.is_null());
            }
            if let Some(days) = params.ending_within_days {
                let until = today
                    .checked_add_days(Days::new(u64::try_from(days).unwrap_or(0)))
                    .unwrap_or(today);
                query = query
                    .filter(periods::planned_end_on.ge(today))
                    .filter(periods::planned_end_on.le(until));
            }
            if let Some(cursor) = params.cursor {
                query = query.filter(periods::id.gt(cursor));
            }
            let rows: Vec<(PeriodRow, String, String)> = query.load(conn).await?;
            let shown: Vec<&(PeriodRow, String, String)> = rows
                .iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .collect();
            if !shown.is_empty() {
                let mut clients: Vec<Uuid> = shown.iter().map(|(p, _, _)| p.client_id).collect();
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
            let ktt = ktt_types(conn).await?;
            Ok((rows, ktt))
        }
        .boxed()
    })
    .await?;
    let (rows, ktt) = rows;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |(row, _, _)| row.id,
        |(row, first, last)| {
            let is_ktt = ktt.contains(&row.service_type);
            PeriodListItem {
                client_name: format!("{first} {last}"),
                period: store::response(row, is_ktt, today),
            }
        },
    )))
}

#[derive(Debug, QueryableByName)]
struct AttentionRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    period_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    client_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    first_names: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    last_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    service_type: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    reason: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    due_on: NaiveDate,
}

/// Most items the attention list returns (the most urgent first).
const ATTENTION_LIMIT: i64 = 500;

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
            let rows: Vec<AttentionRow> = diesel::sql_query(
                "WITH visible AS (
                     SELECT p.*, c.first_names, c.last_name,
                            coalesce(t.ktt_rules, false) AS ktt
                     FROM periods p
                     JOIN clients c ON c.organisation_id = p.organisation_id AND c.id = p.client_id
                     LEFT JOIN code_values t ON t.organisation_id = p.organisation_id
                          AND t.list = 'service_type' AND t.code = p.service_type
                     WHERE ($1::uuid[] IS NULL OR c.unit_id = ANY($1))
                       AND ($2::uuid IS NULL OR p.coach_id = $2)
                       AND ($3::uuid IS NULL OR p.unit_id = $3)
                       AND (p.ends_on IS NULL OR p.ends_on >= $4::date - 90))
                 SELECT id AS period_id, client_id, first_names, last_name, service_type,
                        'ending_soon' AS reason, planned_end_on AS due_on
                 FROM visible
                 WHERE ends_on IS NULL AND planned_end_on BETWEEN $4 AND $4::date + 14
                 UNION ALL
                 SELECT id, client_id, first_names, last_name, service_type,
                        'activation_plan_review', (starts_on + interval '24 months')::date
                 FROM visible
                 WHERE ktt AND ends_on IS NULL AND starts_on + interval '24 months' <= $4::date + 30
                 UNION ALL
                 SELECT v.id, v.client_id, v.first_names, v.last_name, v.service_type,
                        'final_statement_missing', coalesce(v.ends_on, v.planned_end_on)
                 FROM visible v
                 WHERE (v.ends_on IS NOT NULL OR v.planned_end_on <= $4::date + 14)
                   AND NOT EXISTS (SELECT 1 FROM period_reports r
                                   WHERE r.organisation_id = v.organisation_id AND r.period_id = v.id
                                     AND r.kind = 'final' AND r.state = 'final')
                 ORDER BY due_on, period_id
                 LIMIT $5",
            )
            .bind::<diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::Uuid>>, _>(units)
            .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(me)
            .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(unit)
            .bind::<diesel::sql_types::Date, _>(today)
            .bind::<diesel::sql_types::BigInt, _>(ATTENTION_LIMIT)
            .load(conn)
            .await?;
            if !rows.is_empty() {
                let mut clients: Vec<Uuid> = rows.iter().map(|r| r.client_id).collect();
                clients.sort_unstable();
                clients.dedup();
                let mut ids: Vec<Uuid> = rows.iter().map(|r| r.period_id).collect();
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
                period_id: r.period_id,
                client_id: r.client_id,
                client_name: format!("{} {}", r.first_names, r.last_name),
                service_type: r.service_type,
                reason: AttentionReason::parse(&r.reason).unwrap_or(AttentionReason::EndingSoon),
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
    path: web::Path<Uuid>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<PeriodPage>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let id = path.into_inner();
    let cipher = state.cipher.clone();
    let page = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (row, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let goals = goals::load(conn, id).await?;
            let diary = diary::latest(conn, id, sensitive, 20).await?;
            let assessments = assessments::load(conn, id).await?;
            let mut records = vec![id];
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
            let (edit_window, ktt) = diary::edit_window_and_ktt(conn, &row.service_type).await?;
            let names = diary::author_names(conn, &diary).await?;
            Ok(PeriodPage {
                period: store::response(row, ktt, today()),
                goals,
                diary: diary
                    .into_iter()
                    .map(|entry| diary::response(entry, &names, &cipher, edit_window))
                    .collect::<Result<Vec<_>, _>>()?,
                assessments,
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(page))
}
