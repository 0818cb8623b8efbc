//! Attendance rows and the queries behind the day sheet, the calendar and regularity;
//! the groups' and the allowance report's queries in their own modules.

pub mod allowances;
pub mod groups;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Date, Double, Nullable, SmallInt, Text, Time, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::api::{AbsenceReason, AttendanceRecord, AttendanceStatus};
use super::regularity::{Mark, Plan};
use crate::ids::{ClientId, PeriodId, UnitId};
use crate::schema::{attendance, attendance_groups, units};

/// A stored record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attendance, check_for_backend(diesel::pg::Pg))]
pub struct AttendanceRow {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Day.
    pub on_date: NaiveDate,
    /// Present or absent.
    pub status: AttendanceStatus,
    /// Hours.
    pub hours: Option<f64>,
    /// Start time.
    pub starts_at: Option<NaiveTime>,
    /// End time.
    pub ends_at: Option<NaiveTime>,
    /// Reason of an absence.
    pub absence_reason: Option<AbsenceReason>,
    /// Note.
    pub note: Option<String>,
    /// First recorded.
    pub recorded_at: DateTime<Utc>,
    /// Last corrected.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl AttendanceRow {
    /// The record as the API shows it.
    pub fn response(&self) -> AttendanceRecord {
        AttendanceRecord {
            id: self.id,
            period_id: self.period_id.into(),
            client_id: self.client_id.into(),
            date: self.on_date,
            status: self.status(),
            hours: self.hours,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            absence_reason: self.absence_reason,
            note: self.note.clone(),
            recorded_at: self.recorded_at,
            updated_at: self.updated_at,
            version: self.version,
        }
    }

    /// Present or absent.
    pub fn status(&self) -> AttendanceStatus {
        self.status
    }

    /// The record as regularity counts it.
    pub fn mark(&self) -> Mark {
        Mark {
            date: self.on_date,
            status: self.status(),
            hours: self.hours,
            reason: self.absence_reason,
        }
    }
}

/// A record to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = attendance)]
pub struct NewAttendance {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Client.
    pub client_id: ClientId,
    /// Period.
    pub period_id: PeriodId,
    /// Day.
    pub on_date: NaiveDate,
    /// Status.
    pub status: AttendanceStatus,
    /// Hours.
    pub hours: Option<f64>,
    /// Start.
    pub starts_at: Option<NaiveTime>,
    /// End.
    pub ends_at: Option<NaiveTime>,
    /// Reason.
    pub absence_reason: Option<AbsenceReason>,
    /// Note.
    pub note: Option<String>,
    /// Recorded by (user).
    pub recorded_by_user_id: Option<Uuid>,
    /// Recorded by (API client).
    pub recorded_by_api_client_id: Option<Uuid>,
    /// Last changed by (user).
    pub updated_by_user_id: Option<Uuid>,
    /// Last changed by (API client).
    pub updated_by_api_client_id: Option<Uuid>,
}

/// A period as the day sheet, the calendar and regularity need it, with its client.
#[derive(Debug, Clone, QueryableByName)]
pub struct PeriodPlan {
    /// Period.
    #[diesel(sql_type = SqlUuid)]
    pub id: PeriodId,
    /// Client.
    #[diesel(sql_type = SqlUuid)]
    pub client_id: ClientId,
    /// The client's unit (decides who may read and write).
    #[diesel(sql_type = SqlUuid)]
    pub client_unit_id: UnitId,
    /// The period's unit.
    #[diesel(sql_type = SqlUuid)]
    pub unit_id: UnitId,
    /// Client's first names.
    #[diesel(sql_type = Text)]
    pub first_names: String,
    /// Client's last name.
    #[diesel(sql_type = Text)]
    pub last_name: String,
    /// Service type.
    #[diesel(sql_type = Text)]
    pub service_type: String,
    /// Start.
    #[diesel(sql_type = Date)]
    pub starts_on: NaiveDate,
    /// End.
    #[diesel(sql_type = Nullable<Date>)]
    pub ends_on: Option<NaiveDate>,
    /// Planned weekdays.
    #[diesel(sql_type = Array<SmallInt>)]
    pub weekdays: Vec<i16>,
    /// Planned days per week.
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub days_per_week: Option<i16>,
    /// Planned hours per day.
    #[diesel(sql_type = Nullable<Double>)]
    pub hours_per_day: Option<f64>,
    /// The service type follows the KTT rules.
    #[diesel(sql_type = Bool)]
    pub ktt: bool,
    /// The period belongs to the sheet asked for (the unit's or the group's).
    #[diesel(sql_type = Bool)]
    pub member: bool,
}

impl PeriodPlan {
    /// What decides its planned days.
    pub fn plan(&self) -> Plan<'_> {
        Plan {
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            weekdays: &self.weekdays,
        }
    }

    /// Days a week the schedule plans (the larger of the weekdays and the days per week).
    pub fn days_a_week(&self) -> usize {
        let days = self
            .days_per_week
            .and_then(|d| usize::try_from(d).ok())
            .unwrap_or(0);
        days.max(self.weekdays.len())
    }
}

const PLAN_COLUMNS: &str =
    "p.id, p.client_id, c.unit_id AS client_unit_id, p.unit_id, c.first_names, c.last_name,
    p.service_type, p.starts_on, p.ends_on, p.weekdays, p.days_per_week, p.hours_per_day,
    EXISTS (SELECT 1 FROM code_values v
            WHERE v.list = 'service_type' AND v.code = p.service_type AND v.ktt_rules) AS ktt";

/// Whose day sheet: a unit's periods or a group's.
#[derive(Debug, Clone, Copy)]
pub enum Sheet {
    /// Every period of the unit.
    Unit(Uuid),
    /// The group's members.
    Group(Uuid),
}

impl Sheet {
    /// SQL telling whether period `p` belongs to the sheet (bound as `$1`).
    fn membership(self) -> &'static str {
        match self {
            Sheet::Unit(_) => "p.unit_id = $1",
            Sheet::Group(_) => {
                "p.id IN (SELECT m.period_id FROM attendance_group_members m WHERE m.group_id = $1)"
            }
        }
    }

    fn id(self) -> Uuid {
        match self {
            Sheet::Unit(id) | Sheet::Group(id) => id,
        }
    }
}

/// The unit's or group's sheet: which it is, its unit and the group's name. A group is
/// looked up first; an archived group or an unknown id is `None`.
pub async fn sheet(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(Sheet, Uuid, Option<String>)>> {
    let group: Option<(Uuid, String)> = attendance_groups::table
        .find(id)
        .filter(attendance_groups::archived_at.is_null())
        .select((attendance_groups::unit_id, attendance_groups::name))
        .first(conn)
        .await
        .optional()?;
    if let Some((unit, name)) = group {
        return Ok(Some((Sheet::Group(id), unit, Some(name))));
    }
    let unit: Option<Uuid> = units::table
        .find(id)
        .select(units::id)
        .first(conn)
        .await
        .optional()?;
    Ok(unit.map(|unit| (Sheet::Unit(unit), unit, None)))
}

/// The sheet's periods running on `date`, by client name.
pub async fn sheet_periods(
    conn: &mut AsyncPgConnection,
    sheet: Sheet,
    date: NaiveDate,
) -> QueryResult<Vec<PeriodPlan>> {
    let membership = sheet.membership();
    diesel::sql_query(format!(
        "SELECT {PLAN_COLUMNS}, true AS member
         FROM periods p JOIN clients c ON c.id = p.client_id
         WHERE {membership} AND p.starts_on <= $2 AND (p.ends_on IS NULL OR p.ends_on >= $2)
         ORDER BY c.last_name, c.first_names, p.id"
    ))
    .bind::<SqlUuid, _>(sheet.id())
    .bind::<Date, _>(date)
    .load(conn)
    .await
}

/// The periods `ids`, locked against concurrent marking (in id order, so two requests
/// never wait on each other crosswise), each saying whether it belongs to the sheet.
pub async fn lock_periods(
    conn: &mut AsyncPgConnection,
    sheet: Sheet,
    ids: &[PeriodId],
) -> QueryResult<Vec<PeriodPlan>> {
    let membership = sheet.membership();
    diesel::sql_query(format!(
        "SELECT {PLAN_COLUMNS}, {membership} AS member
         FROM periods p JOIN clients c ON c.id = p.client_id
         WHERE p.id = ANY($2)
         ORDER BY p.id
         FOR NO KEY UPDATE OF p"
    ))
    .bind::<SqlUuid, _>(sheet.id())
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await
}

/// A client's periods overlapping `from`–`to`.
pub async fn client_periods(
    conn: &mut AsyncPgConnection,
    client: ClientId,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PeriodPlan>> {
    diesel::sql_query(format!(
        "SELECT {PLAN_COLUMNS}, true AS member
         FROM periods p JOIN clients c ON c.id = p.client_id
         WHERE p.client_id = $1 AND p.starts_on <= $3 AND (p.ends_on IS NULL OR p.ends_on >= $2)
         ORDER BY p.starts_on, p.id"
    ))
    .bind::<SqlUuid, _>(client)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)
    .await
}

/// A unit's periods overlapping `from`–`to`, by client name.
pub async fn unit_periods(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PeriodPlan>> {
    diesel::sql_query(format!(
        "SELECT {PLAN_COLUMNS}, true AS member
         FROM periods p JOIN clients c ON c.id = p.client_id
         WHERE p.unit_id = $1 AND p.starts_on <= $3 AND (p.ends_on IS NULL OR p.ends_on >= $2)
         ORDER BY c.last_name, c.first_names, p.id"
    ))
    .bind::<SqlUuid, _>(unit)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)
    .await
}

/// The records of `periods` from `from` to `to`, by period and day.
pub async fn records(
    conn: &mut AsyncPgConnection,
    periods: &[PeriodId],
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<AttendanceRow>> {
    attendance::table
        .filter(attendance::period_id.eq_any(periods))
        .filter(attendance::on_date.between(from, to))
        .order((attendance::period_id, attendance::on_date))
        .select(AttendanceRow::as_select())
        .load(conn)
        .await
}

/// Inserts a day's new records (one statement).
pub async fn insert(conn: &mut AsyncPgConnection, records: &[NewAttendance]) -> QueryResult<usize> {
    diesel::insert_into(attendance::table)
        .values(records)
        .execute(conn)
        .await
}

/// Deletes the records `ids` (one statement; their values are kept in the rectification
/// history by the caller).
pub async fn remove(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<usize> {
    diesel::delete(attendance::table.filter(attendance::id.eq_any(ids)))
        .execute(conn)
        .await
}

/// Present days and hours of one period in an ISO week.
#[derive(Debug, Clone, QueryableByName)]
pub struct WeekTotals {
    /// Period.
    #[diesel(sql_type = SqlUuid)]
    pub period_id: PeriodId,
    /// Days present.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub present_days: i64,
    /// Hours present.
    #[diesel(sql_type = Double)]
    pub hours: f64,
}

/// The week's totals of `periods`.
pub async fn week_totals(
    conn: &mut AsyncPgConnection,
    periods: &[PeriodId],
    (monday, sunday): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<WeekTotals>> {
    diesel::sql_query(
        "SELECT period_id, count(*) AS present_days, coalesce(sum(hours), 0)::float8 AS hours
         FROM attendance
         WHERE period_id = ANY($1) AND on_date BETWEEN $2 AND $3 AND status = 'present'
         GROUP BY period_id",
    )
    .bind::<Array<SqlUuid>, _>(periods)
    .bind::<Date, _>(monday)
    .bind::<Date, _>(sunday)
    .load(conn)
    .await
}

/// Corrections of existing records, column by column (one statement for the whole day).
#[derive(Debug, Default)]
pub struct Corrections {
    /// Records.
    pub ids: Vec<Uuid>,
    /// Statuses.
    pub statuses: Vec<AttendanceStatus>,
    /// Hours.
    pub hours: Vec<Option<f64>>,
    /// Starts.
    pub starts_at: Vec<Option<NaiveTime>>,
    /// Ends.
    pub ends_at: Vec<Option<NaiveTime>>,
    /// Reasons.
    pub reasons: Vec<Option<AbsenceReason>>,
    /// Notes.
    pub notes: Vec<Option<String>>,
}

/// Applies corrections, each counting its record's version up.
pub async fn correct(
    conn: &mut AsyncPgConnection,
    corrections: &Corrections,
    (user, api_client): (Option<Uuid>, Option<Uuid>),
) -> QueryResult<usize> {
    if corrections.ids.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(
        "UPDATE attendance a
         SET status = u.status, hours = u.hours, starts_at = u.starts_at, ends_at = u.ends_at,
             absence_reason = u.absence_reason, note = u.note, updated_by_user_id = $8,
             updated_by_api_client_id = $9, updated_at = now(), version = a.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::time[], $5::time[], $6::text[], $7::text[])
              AS u(id, status, hours, starts_at, ends_at, absence_reason, note)
         WHERE a.id = u.id",
    )
    .bind::<Array<SqlUuid>, _>(&corrections.ids)
    .bind::<Array<Text>, _>(&corrections.statuses)
    .bind::<Array<Nullable<Double>>, _>(&corrections.hours)
    .bind::<Array<Nullable<Time>>, _>(&corrections.starts_at)
    .bind::<Array<Nullable<Time>>, _>(&corrections.ends_at)
    .bind::<Array<Nullable<Text>>, _>(&corrections.reasons)
    .bind::<Array<Nullable<Text>>, _>(&corrections.notes)
    .bind::<Nullable<SqlUuid>, _>(user)
    .bind::<Nullable<SqlUuid>, _>(api_client)
    .execute(conn)
    .await
}
