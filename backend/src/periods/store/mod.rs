//! Period rows, their queries and the one way to reach a period: through its client,
//! whose unit decides who may read or write it. The submodules hold the queries of what
//! is documented in a period, and of the code lists and instruments.

pub mod agreements;
pub mod assessments;
pub mod catalogue;
pub mod diary;
pub mod goals;

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{AttentionReason, Outcome, PeriodListParams, PeriodMode, PeriodResponse};
use super::rules::{self, Schedule};
use crate::auth::actor::Actor;
use crate::clients::ClientRow;
use crate::domain::access::{self, ReadAccess};
use crate::error::ApiError;
use crate::ids::{ClientId, PeriodId, UnitId};
use crate::schema::{clients, periods};

/// A stored period.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = periods, check_for_backend(diesel::pg::Pg))]
pub struct PeriodRow {
    /// Id.
    pub id: PeriodId,
    /// Client.
    pub client_id: ClientId,
    /// Service type.
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// End.
    pub ends_on: Option<NaiveDate>,
    /// Referrer.
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: UnitId,
    /// Workplace.
    pub workplace: Option<String>,
    /// Coach.
    pub coach_id: Option<Uuid>,
    /// Mode.
    pub mode: PeriodMode,
    /// Days per week.
    pub days_per_week: Option<i16>,
    /// Hours per day.
    pub hours_per_day: Option<f64>,
    /// Weekdays.
    pub weekdays: Vec<i16>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Outcome sub-code.
    pub outcome_code: Option<String>,
    /// Closing note.
    pub closing_note: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

/// A period to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = periods)]
pub struct NewPeriod {
    /// Id.
    pub id: PeriodId,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Service type.
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// Referrer.
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: UnitId,
    /// Workplace.
    pub workplace: Option<String>,
    /// Coach.
    pub coach_id: Option<Uuid>,
    /// Mode.
    pub mode: PeriodMode,
    /// Days per week.
    pub days_per_week: Option<i16>,
    /// Hours per day.
    pub hours_per_day: Option<f64>,
    /// Weekdays.
    pub weekdays: Vec<i16>,
    /// Created by.
    pub created_by: Option<Uuid>,
}

/// Columns a change sets.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = periods)]
pub struct PeriodChanges {
    /// Service type.
    pub service_type: Option<String>,
    /// Notification date.
    pub notified_on: Option<Option<NaiveDate>>,
    /// Start.
    pub starts_on: Option<NaiveDate>,
    /// Planned end.
    pub planned_end_on: Option<Option<NaiveDate>>,
    /// End.
    pub ends_on: Option<Option<NaiveDate>>,
    /// Referrer.
    pub referrer: Option<Option<String>>,
    /// Unit.
    pub unit_id: Option<UnitId>,
    /// Workplace.
    pub workplace: Option<Option<String>>,
    /// Coach.
    pub coach_id: Option<Option<Uuid>>,
    /// Mode.
    pub mode: Option<PeriodMode>,
    /// Days per week.
    pub days_per_week: Option<Option<i16>>,
    /// Hours per day.
    pub hours_per_day: Option<Option<f64>>,
    /// Weekdays.
    pub weekdays: Option<Vec<i16>>,
    /// Outcome.
    pub outcome: Option<Option<Outcome>>,
    /// Outcome sub-code.
    pub outcome_code: Option<Option<String>>,
    /// Closing note.
    pub closing_note: Option<Option<String>>,
    /// Version.
    pub version: Option<i32>,
}

/// The rule schedule of a period.
fn schedule(row: &PeriodRow) -> Schedule {
    Schedule {
        starts_on: row.starts_on,
        planned_end_on: row.planned_end_on,
        ends_on: row.ends_on,
        days_per_week: row.days_per_week,
        hours_per_day: row.hours_per_day,
    }
}

/// The response form of a period; `ktt` tells whether its service type follows the KTT
/// rules.
pub fn response(row: PeriodRow, ktt: bool, today: NaiveDate) -> PeriodResponse {
    let warnings = if ktt {
        rules::ktt_warnings(&schedule(&row), today)
    } else {
        Vec::new()
    };
    PeriodResponse {
        id: row.id.into(),
        client_id: row.client_id.into(),
        service_type: row.service_type,
        notified_on: row.notified_on,
        starts_on: row.starts_on,
        planned_end_on: row.planned_end_on,
        ends_on: row.ends_on,
        referrer: row.referrer,
        unit_id: row.unit_id.into(),
        workplace: row.workplace,
        coach_id: row.coach_id,
        mode: row.mode,
        days_per_week: row.days_per_week,
        hours_per_day: row.hours_per_day,
        weekdays: row.weekdays,
        outcome: row.outcome,
        outcome_code: row.outcome_code,
        closing_note: row.closing_note,
        warnings,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    }
}

/// One period (of this organisation: row-level security).
pub async fn find(conn: &mut AsyncPgConnection, id: PeriodId) -> QueryResult<Option<PeriodRow>> {
    periods::table
        .find(id)
        .select(PeriodRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One period, locked for a change.
pub async fn find_for_update(conn: &mut AsyncPgConnection, id: PeriodId) -> QueryResult<Option<PeriodRow>> {
    periods::table
        .find(id)
        .select(PeriodRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// A period the actor may read, with its client and how the read is logged; 404 for a
/// missing or foreign period.
pub async fn readable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: PeriodId,
    reason: Option<String>,
) -> Result<(PeriodRow, ClientRow, ReadAccess), ApiError> {
    let (period, client): (PeriodRow, ClientRow) = periods::table
        .inner_join(clients::table)
        .filter(periods::id.eq(id))
        .select((PeriodRow::as_select(), ClientRow::as_select()))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let access = access::read(actor, client.unit_id, reason)?;
    Ok((period, client, access))
}

/// A period the actor may write, locked, with its client; 404 for a missing or foreign
/// period.
pub async fn writable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: PeriodId,
) -> Result<(PeriodRow, ClientRow), ApiError> {
    let period = find_for_update(conn, id).await?.ok_or(ApiError::NotFound)?;
    let client = crate::clients::writable(conn, actor, period.client_id).await?;
    Ok((period, client))
}

/// Opens a period.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewPeriod) -> QueryResult<PeriodRow> {
    diesel::insert_into(periods::table)
        .values(new)
        .returning(PeriodRow::as_returning())
        .get_result(conn)
        .await
}

/// A client's periods, earliest start first.
pub async fn of_client(conn: &mut AsyncPgConnection, client: ClientId) -> QueryResult<Vec<PeriodRow>> {
    periods::table
        .filter(periods::client_id.eq(client))
        .order((periods::starts_on, periods::id))
        .select(PeriodRow::as_select())
        .load(conn)
        .await
}

/// Applies `changes` to period `id` (the caller bumps the version in them).
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: PeriodId,
    changes: &PeriodChanges,
) -> QueryResult<PeriodRow> {
    diesel::update(periods::table.find(id))
        .set(changes)
        .returning(PeriodRow::as_returning())
        .get_result(conn)
        .await
}

/// Periods filtered by `params`, with their clients' first and last names, by id: of
/// clients of `units` (every unit for `None`), of coach `me`, at most `limit + 1` (one
/// more than a page tells whether another follows).
pub async fn list(
    conn: &mut AsyncPgConnection,
    units: Option<Vec<UnitId>>,
    me: Option<Uuid>,
    params: PeriodListParams,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(PeriodRow, String, String)>> {
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
    query.load(conn).await
}

/// A period that needs attention, and why.
#[derive(Debug, QueryableByName)]
pub struct AttentionRow {
    /// Period.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub period_id: PeriodId,
    /// Client.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub client_id: ClientId,
    /// Client's first names.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub first_names: String,
    /// Client's last name.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub last_name: String,
    /// Service type.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub service_type: String,
    /// Why (the query's literal `ending_soon`, `activation_plan_review` or
    /// `final_statement_missing`).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub reason: AttentionReason,
    /// When it is due.
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub due_on: NaiveDate,
}

/// Most items the attention list returns (the most urgent first).
const ATTENTION_LIMIT: i64 = 500;

/// Periods that need attention, most urgent first (at most 500): planned ends within 14
/// days, activation-plan reviews of KTT periods reaching 24 months (within 30 days), and
/// final statements missing for periods ended in the last 90 days or ending within 14.
/// Of clients of `units` (every unit for `None`), of coach `me`, of period unit `unit`.
pub async fn needing_attention(
    conn: &mut AsyncPgConnection,
    units: Option<Vec<UnitId>>,
    me: Option<Uuid>,
    unit: Option<Uuid>,
    today: NaiveDate,
) -> QueryResult<Vec<AttentionRow>> {
    diesel::sql_query(
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
    .await
}
