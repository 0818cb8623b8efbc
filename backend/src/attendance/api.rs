//! Request and response types of attendance, groups, regularity and allowances.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::periods::RuleWarning;

code_list! {
    /// Present or absent.
    AttendanceStatus {
        /// Took part.
        Present => "present",
        /// Did not take part (with a reason).
        Absent => "absent",
    }
}

code_list! {
    /// What a day's mark sets: present, absent, or no record (a mark made by mistake is
    /// removed, its values kept in the rectification history).
    MarkStatus {
        /// Took part.
        Present => "present",
        /// Did not take part (with a reason).
        Absent => "absent",
        /// No record for the day.
        Unmarked => "unmarked",
    }
}

code_list! {
    /// Why a client was absent.
    AbsenceReason {
        /// Ill.
        Sick => "sick",
        /// Agreed in advance (e.g. an appointment).
        Authorised => "authorised",
        /// Without notice or leave.
        Unauthorised => "unauthorised",
        /// Holiday.
        Holiday => "holiday",
        /// Something else, explained in the note.
        Other => "other",
    }
}

/// A public holiday (or a de facto day off: Midsummer Eve, Christmas Eve).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayInfo {
    /// Stable code the UI translates (`good_friday`, `midsummer_eve`, ...).
    pub code: &'static str,
    /// Finnish name.
    pub name: &'static str,
}

/// One day's attendance of a client in a period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AttendanceRecord {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Day.
    pub date: NaiveDate,
    /// Present or absent.
    pub status: AttendanceStatus,
    /// Hours of participation (present only).
    pub hours: Option<f64>,
    /// Start time (present only).
    #[schema(value_type = Option<String>, format = "time", example = "08:30:00")]
    pub starts_at: Option<NaiveTime>,
    /// End time (present only).
    #[schema(value_type = Option<String>, format = "time", example = "14:30:00")]
    pub ends_at: Option<NaiveTime>,
    /// Reason of an absence.
    pub absence_reason: Option<AbsenceReason>,
    /// Note (required for the reason `other`).
    pub note: Option<String>,
    /// First recorded.
    pub recorded_at: DateTime<Utc>,
    /// Last corrected.
    pub updated_at: DateTime<Utc>,
    /// Version (corrections count up).
    pub version: i32,
}

/// One client's mark in a day's sheet.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRequest {
    /// The period the attendance belongs to.
    pub period_id: Uuid,
    /// The client, if the caller wants it checked against the period's client.
    pub client_id: Option<Uuid>,
    /// Present, absent, or unmarked (removes the day's record).
    pub status: MarkStatus,
    /// Hours of participation (present only; 0.25–24). Computed from the times when they
    /// are given and hours are not.
    pub hours: Option<f64>,
    /// Start time (present only).
    #[schema(value_type = Option<String>, format = "time", example = "08:30")]
    pub starts_at: Option<NaiveTime>,
    /// End time (present only; after the start).
    #[schema(value_type = Option<String>, format = "time", example = "14:30")]
    pub ends_at: Option<NaiveTime>,
    /// Reason (absent only; required then).
    pub absence_reason: Option<AbsenceReason>,
    /// Note (at most 1000 characters; required for the reason `other`).
    pub note: Option<String>,
}

/// A whole day of a unit or group: up to 500 marks, applied together or not at all.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayRequest {
    /// The marks, one per period.
    pub entries: Vec<MarkRequest>,
    /// Why earlier marks are corrected (kept in the rectification history).
    pub reason: Option<String>,
}

/// A client on a day's sheet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetRow {
    /// Period.
    pub period_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// First names (`null` for a writer who may not read the client: an API client with
    /// `attendance:write` only gets ids and statuses).
    pub first_names: Option<String>,
    /// Last name (`null` like `first_names`).
    pub last_name: Option<String>,
    /// Service type of the period.
    pub service_type: String,
    /// The day is one of the period's planned weekdays (and not a holiday).
    pub scheduled: bool,
    /// Planned hours per day.
    pub planned_hours: Option<f64>,
    /// The day's record, if marked.
    pub record: Option<AttendanceRecord>,
    /// Rule warnings of the client's week (after a save; empty for a writer who may not
    /// read the client).
    pub warnings: Vec<RuleWarning>,
}

/// A day's sheet of a unit or group: everyone whose period runs that day (scheduled
/// first), with what is marked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DaySheet {
    /// Day.
    pub date: NaiveDate,
    /// Unit.
    pub unit_id: Uuid,
    /// Group, when the sheet is a group's.
    pub group_id: Option<Uuid>,
    /// Group name.
    pub group_name: Option<String>,
    /// The day is a holiday.
    pub holiday: Option<HolidayInfo>,
    /// Records created, changed or removed by this request (0 when repeated).
    pub changed: u32,
    /// The clients.
    pub rows: Vec<SheetRow>,
}

/// A new group of periods of one unit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroupRequest {
    /// Unit.
    pub unit_id: Uuid,
    /// Name (1–200 characters, unique among the unit's groups).
    pub name: String,
    /// Periods in the group (of the unit; at most 500).
    #[serde(default)]
    pub period_ids: Vec<Uuid>,
}

/// A change to a group (`If-Match`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGroupRequest {
    /// New name.
    pub name: Option<String>,
    /// Periods to add.
    #[serde(default)]
    pub add: Vec<Uuid>,
    /// Periods to remove.
    #[serde(default)]
    pub remove: Vec<Uuid>,
    /// Archive (true) or restore (false) the group.
    pub archived: Option<bool>,
}

/// A member of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMember {
    /// Period.
    pub period_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// First names.
    pub first_names: String,
    /// Last name.
    pub last_name: String,
    /// Start of the period.
    pub starts_on: NaiveDate,
    /// End of the period.
    pub ends_on: Option<NaiveDate>,
}

/// A group of periods.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupResponse {
    /// Id.
    pub id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// Name.
    pub name: String,
    /// Members, by name.
    pub members: Vec<GroupMember>,
    /// Archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i32,
}

/// A group in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupSummary {
    /// Id.
    pub id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// Name.
    pub name: String,
    /// Members whose period has not ended.
    pub active_members: i64,
    /// Archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i32,
}

/// Filters of the group list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GroupListParams {
    /// Only this unit's groups.
    pub unit_id: Option<Uuid>,
    /// Archived groups too.
    #[serde(default)]
    pub archived: bool,
}

/// A month (`YYYY-MM`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthParams {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Why another unit's client is opened (logged).
    pub access_reason: Option<String>,
}

/// A date range (at most ten years).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeParams {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Why another unit's client is opened (logged).
    pub access_reason: Option<String>,
}

/// Days absent, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct AbsenceCounts {
    /// Ill.
    pub sick: u32,
    /// Agreed in advance.
    pub authorised: u32,
    /// Without leave.
    pub unauthorised: u32,
    /// Holiday.
    pub holiday: u32,
    /// Other.
    pub other: u32,
}

/// Regularity (säännöllisyys) over a range: planned days from the schedule without
/// holidays, what was marked, and present days as a share of the planned days so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Regularity {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Planned days in the range (the period's weekdays, holidays excluded).
    pub planned_days: u32,
    /// Planned days up to today.
    pub planned_days_to_date: u32,
    /// Days present (planned or not).
    pub present_days: u32,
    /// Hours present.
    pub present_hours: f64,
    /// Days absent.
    pub absent_days: u32,
    /// Days absent by reason.
    pub absences: AbsenceCounts,
    /// Planned days up to today with nothing marked.
    pub unmarked_planned_days: u32,
    /// Present days per planned days to date, in per cent (none without planned days).
    pub attendance_percentage: Option<f64>,
}

/// One month day of a calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDay {
    /// Day.
    pub date: NaiveDate,
    /// Holiday.
    pub holiday: Option<HolidayInfo>,
    /// The periods running that day.
    pub periods: Vec<CalendarEntry>,
}

/// A period on a calendar day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarEntry {
    /// Period.
    pub period_id: Uuid,
    /// A planned day of the period.
    pub planned: bool,
    /// The record, if marked.
    pub record: Option<AttendanceRecord>,
}

/// A month of attendance of a period or a client, ready for a month view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarResponse {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Every day of the month.
    pub days: Vec<CalendarDay>,
    /// Regularity of the month.
    pub regularity: Regularity,
}

/// Regularity of one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodRegularity {
    /// Period.
    pub period_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Client's first names (unit report).
    pub first_names: Option<String>,
    /// Client's last name (unit report).
    pub last_name: Option<String>,
    /// Service type.
    pub service_type: String,
    /// The figures.
    pub regularity: Regularity,
}

/// Regularity of a client or a unit: in total and per period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegularityReport {
    /// The client or unit.
    pub subject_id: Uuid,
    /// Sum over the periods.
    pub total: Regularity,
    /// Per period.
    pub periods: Vec<PeriodRegularity>,
}

code_list! {
    /// Format of a report.
    ReportFormat {
        /// JSON.
        Json => "json",
        /// CSV for Excel in Finland: UTF-8 with BOM, `;`-separated, decimal comma.
        Csv => "csv",
    }
}

/// What the allowance report covers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AllowanceParams {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Only periods of this unit (default: the whole organisation).
    pub unit_id: Option<Uuid>,
    /// `json` (default) or `csv`.
    pub format: Option<ReportFormat>,
    /// The law an integrator discloses the report under (required from API clients: the
    /// report is then logged as a disclosure).
    pub legal_basis: Option<String>,
}

/// One client's period in the allowance report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllowanceRow {
    /// Client.
    pub client_id: Uuid,
    /// Last name.
    pub last_name: String,
    /// First names.
    pub first_names: String,
    /// Period.
    pub period_id: Uuid,
    /// Unit of the period.
    pub unit_id: Uuid,
    /// Service type.
    pub service_type: String,
    /// Days present in the month.
    pub participation_days: i64,
    /// Days paid: at most 5 per ISO week (per client), a day once.
    pub payable_days: i64,
    /// Rate per day, in cents.
    pub rate_cents: i64,
    /// Payable days × rate, in cents.
    pub total_cents: i64,
}

/// The monthly expense allowance (kulukorvaus) report of KTT periods.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllowanceReport {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Unit, if the report is one unit's.
    pub unit_id: Option<Uuid>,
    /// Rate per day, in cents (the organisation's setting).
    pub rate_cents: i64,
    /// Per client and period, by name.
    pub rows: Vec<AllowanceRow>,
    /// Sum of participation days.
    pub participation_days: i64,
    /// Sum of payable days.
    pub payable_days: i64,
    /// Sum to pay, in cents.
    pub total_cents: i64,
}
