//! The day sheet of a unit or group (read and marked whole), and each period's and
//! client's month calendar and regularity; the groups' and the allowance report's
//! endpoints in their own modules.

pub mod allowances;
pub mod groups;

use std::collections::{HashMap, HashSet};

use actix_web::{get, put, web};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{
    AbsenceReason, AttendanceStatus, CalendarDay, CalendarEntry, CalendarResponse, DayRequest, DaySheet,
    HolidayInfo, MarkRequest, MarkStatus, MonthParams, PeriodRegularity, RangeParams, Regularity,
    RegularityReport, SheetRow,
};
use super::holidays;
use super::regularity;
use super::store::{self, AttendanceRow, Corrections, NewAttendance, PeriodPlan, Sheet, WeekTotals};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::crypto::Cipher;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::changes::{self, Change};
use crate::domain::check::{Checker, today};
use crate::error::responses::{NoSuchClient, NoSuchPeriod, NotForUnit, NotLoggedIn, ReasonRequired};
use crate::error::{ApiError, Problem};
use crate::http::RequestMeta;
use crate::ids::{ClientId, PeriodId};
use crate::periods::RuleWarning;
use crate::state::AppState;

/// Resource type of attendance records in the access log.
pub const RESOURCE: &str = "attendance";
/// Most marks in one request.
pub const MAX_MARKS: usize = 500;
const MAX_NOTE: usize = 1000;
/// Hours a KTT day and week may hold (municipal practice).
const KTT_DAY_HOURS: f64 = 8.0;
const KTT_WEEK_HOURS: f64 = 32.0;

/// A day's mark as it should be stored (`None`: no record).
#[derive(Debug, Clone, PartialEq)]
struct Values {
    status: AttendanceStatus,
    hours: Option<f64>,
    starts_at: Option<NaiveTime>,
    ends_at: Option<NaiveTime>,
    reason: Option<AbsenceReason>,
    note: Option<String>,
}

impl Values {
    fn of(row: &AttendanceRow) -> Values {
        Values {
            status: row.status(),
            hours: row.hours,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            reason: row.absence_reason,
            note: row.note.clone(),
        }
    }

    /// The stored fields by name (in name order, as the history lists them).
    fn fields(&self) -> [(&'static str, serde_json::Value); 6] {
        [
            ("absence_reason", json!(self.reason.map(AbsenceReason::as_str))),
            ("ends_at", json!(self.ends_at)),
            ("hours", json!(self.hours)),
            ("note", json!(self.note)),
            ("starts_at", json!(self.starts_at)),
            ("status", json!(self.status.as_str())),
        ]
    }
}

fn round_hours(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

fn hours_between(start: NaiveTime, end: NaiveTime) -> f64 {
    let minutes = (end.num_seconds_from_midnight() - start.num_seconds_from_midnight()) / 60;
    round_hours(f64::from(minutes) / 60.0)
}

/// Checks one mark; field errors are named `entries[i].field`.
fn check_mark(check: &mut Checker, index: usize, mark: &MarkRequest, date: NaiveDate) -> Option<Values> {
    let field = |name: &str| format!("entries[{index}].{name}");
    let note = check.long_text(&field("note"), mark.note.as_deref(), MAX_NOTE);
    let has_times = mark.starts_at.is_some() || mark.ends_at.is_some();
    match mark.status {
        MarkStatus::Unmarked => {
            if mark.hours.is_some() || has_times || mark.absence_reason.is_some() || note.is_some() {
                check.fail(
                    &field("status"),
                    "unmarked_with_values",
                    "An unmarked day carries no other fields.",
                );
            }
            None
        }
        MarkStatus::Present => {
            if mark.absence_reason.is_some() {
                check.fail(
                    &field("absence_reason"),
                    "not_absent",
                    "Only an absence has a reason.",
                );
            }
            if date > today() {
                check.fail(&field("status"), "in_future", "Presence cannot be marked ahead.");
            }
            let mut hours = mark.hours;
            match (mark.starts_at, mark.ends_at) {
                (Some(start), Some(end)) if end <= start => {
                    check.fail(
                        &field("ends_at"),
                        "before_start",
                        "The end is not after the start.",
                    );
                }
                (Some(start), Some(end)) => hours = hours.or(Some(hours_between(start, end))),
                (None, None) => {}
                _ => check.fail(
                    &field("ends_at"),
                    "incomplete_times",
                    "Give both the start and the end, or neither.",
                ),
            }
            if let Some(h) = hours
                && (!h.is_finite() || !(0.25..=24.0).contains(&h))
            {
                check.fail(&field("hours"), "out_of_range", "Use 0.25 to 24 hours.");
            }
            Some(Values {
                status: AttendanceStatus::Present,
                hours: hours.map(round_hours),
                starts_at: mark.starts_at.map(|t| t.with_nanosecond(0).unwrap_or(t)),
                ends_at: mark.ends_at.map(|t| t.with_nanosecond(0).unwrap_or(t)),
                reason: None,
                note,
            })
        }
        MarkStatus::Absent => {
            if mark.hours.is_some() || has_times {
                check.fail(
                    &field("hours"),
                    "not_present",
                    "Only presence has hours and times.",
                );
            }
            let reason = mark.absence_reason;
            if reason.is_none() {
                check.fail(
                    &field("absence_reason"),
                    "required",
                    "Say why the client was absent.",
                );
            }
            if reason == Some(AbsenceReason::Other) && note.is_none() {
                check.fail(&field("note"), "required", "Explain the absence in the note.");
            }
            Some(Values {
                status: AttendanceStatus::Absent,
                hours: None,
                starts_at: None,
                ends_at: None,
                reason,
                note,
            })
        }
    }
}

fn holiday_info(date: NaiveDate) -> Option<HolidayInfo> {
    holidays::on(date).map(|h| HolidayInfo {
        code: h.code,
        name: h.name,
    })
}

/// The ISO week of `date`.
pub fn iso_week(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = date
        .checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date);
    (monday, monday.checked_add_days(Days::new(6)).unwrap_or(monday))
}

fn rule_warning(code: &'static str, field: &'static str, message: String) -> RuleWarning {
    RuleWarning { code, field, message }
}

/// The warnings of a period's week after a day's marks: more days than the schedule, and
/// for KTT more than 8 hours a day or 32 a week.
fn warnings(
    plan: &PeriodPlan,
    record: Option<&AttendanceRow>,
    week: Option<&WeekTotals>,
) -> Vec<RuleWarning> {
    let mut out = Vec::new();
    let (days, hours) = week.map_or((0, 0.0), |w| (w.present_days, w.hours));
    let scheduled = plan.days_a_week();
    if scheduled > 0 && usize::try_from(days).unwrap_or(0) > scheduled {
        out.push(rule_warning(
            "more_days_than_scheduled",
            "status",
            format!("Present {days} days this week; the schedule plans {scheduled}."),
        ));
    }
    if plan.ktt {
        if let Some(day) = record.and_then(|r| r.hours)
            && day > KTT_DAY_HOURS
        {
            out.push(rule_warning(
                "ktt_hours_per_day",
                "hours",
                format!("{day} hours in a day; rehabilitative work activity lasts at most 8."),
            ));
        }
        if hours > KTT_WEEK_HOURS {
            out.push(rule_warning(
                "ktt_hours_per_week",
                "hours",
                format!("{hours} hours this week; rehabilitative work activity lasts at most 32."),
            ));
        }
    }
    out
}

/// The sheet's rows for `plans` on `date` with their records and week warnings.
async fn rows(
    conn: &mut AsyncPgConnection,
    plans: &[PeriodPlan],
    date: NaiveDate,
) -> QueryResult<Vec<SheetRow>> {
    let ids: Vec<PeriodId> = plans.iter().map(|p| p.id).collect();
    let records: HashMap<PeriodId, AttendanceRow> = store::records(conn, &ids, (date, date))
        .await?
        .into_iter()
        .map(|r| (r.period_id, r))
        .collect();
    let weeks: HashMap<PeriodId, WeekTotals> = store::week_totals(conn, &ids, iso_week(date))
        .await?
        .into_iter()
        .map(|w| (w.period_id, w))
        .collect();
    let holidays = regularity::holiday_dates(date, date);
    Ok(plans
        .iter()
        .map(|plan| {
            let record = records.get(&plan.id);
            SheetRow {
                period_id: plan.id.into(),
                client_id: plan.client_id.into(),
                first_names: Some(plan.first_names.clone()),
                last_name: Some(plan.last_name.clone()),
                service_type: plan.service_type.clone(),
                scheduled: plan.plan().plans(date, &holidays),
                planned_hours: plan.hours_per_day,
                record: record.map(AttendanceRow::response),
                warnings: warnings(plan, record, weeks.get(&plan.id)),
            }
        })
        .collect())
}

fn check_day(date: NaiveDate) -> Result<(), ApiError> {
    let mut check = Checker::default();
    check.date("date", Some(date));
    check.finish()
}

/// The day sheet of a unit or a group: everyone whose period runs that day, those
/// scheduled first, each with the day's record if marked.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(
        ("sheet_id" = Uuid, Path, description = "A unit's or an attendance group's id"),
        ("date" = NaiveDate, Path, description = "The day"),
        ReadParams,
    ),
    responses(
        (status = 200, description = "The day's sheet", body = DaySheet),
        NotLoggedIn,
        NotForUnit,
        (status = 404, description = "No such unit or group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/attendance/{sheet_id}/{date}")]
pub async fn get_day(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(Uuid, NaiveDate)>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<DaySheet>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let (id, date) = path.into_inner();
    check_day(date)?;
    let sheet = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (sheet, unit_id, group_name) = store::sheet(conn, id).await?.ok_or(ApiError::NotFound)?;
            let granted = access::read(&actor, unit_id.into(), reason.clone())?;
            let mut plans = store::sheet_periods(conn, sheet, date).await?;
            plans.retain(|p| access::read(&actor, p.client_unit_id, reason.clone()).is_ok());
            let mut rows = rows(conn, &plans, date).await?;
            rows.sort_by_key(|r| !r.scheduled);
            // A sheet nobody is on shows no client: nothing to log.
            if !rows.is_empty() {
                let event = AuditEvent::client(
                    actor.organisation_id,
                    actor.audit(),
                    ClientAction::Read,
                    RESOURCE,
                    rows.iter().map(|r| r.client_id).collect(),
                    rows.iter()
                        .filter_map(|r| r.record.as_ref().map(|x| x.id))
                        .collect(),
                )
                .with(json!({ "date": date, "sheet_id": id }));
                audit::record(conn, &meta, granted.mark(event)).await?;
            }
            Ok(DaySheet {
                date,
                unit_id,
                group_id: matches!(sheet, Sheet::Group(_)).then_some(id),
                group_name,
                holiday: holiday_info(date),
                changed: 0,
                rows,
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(sheet))
}

/// What marking a day does to one period's record.
enum Step {
    Insert(Values),
    Correct(Uuid, Values, Values),
    Remove(Uuid, Values),
}

/// Marks a whole day of a unit or group in one transaction: every mark is applied or,
/// when one is invalid (its index in `errors`), none. Marks equal to what is stored change
/// nothing, so sending the same day twice is a no-op. Corrections and removals keep the
/// previous values in the rectification history.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(
        ("sheet_id" = Uuid, Path, description = "A unit's or an attendance group's id"),
        ("date" = NaiveDate, Path, description = "The day"),
    ),
    request_body = DayRequest,
    responses(
        (status = 200, description = "The marked rows, in the order sent, with the week's warnings", body = DaySheet),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this unit or for a client marked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit or group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid mark (`entries[i].field`); nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/attendance/{sheet_id}/{date}")]
pub async fn put_day(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(Uuid, NaiveDate)>,
    body: web::Json<DayRequest>,
) -> Result<web::Json<DaySheet>, ApiError> {
    if !actor.can(crate::permissions::Permission::AttendanceWrite) {
        access::require_write(&actor)?;
    }
    let (id, date) = path.into_inner();
    check_day(date)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    if body.entries.is_empty() {
        check.fail("entries", "required", "Send at least one mark.");
    } else if body.entries.len() > MAX_MARKS {
        check.fail(
            "entries",
            "too_many",
            &format!("Send at most {MAX_MARKS} marks at a time."),
        );
    }
    let reason = check.text("reason", body.reason.as_deref(), 500);
    let mut seen = HashSet::new();
    let mut desired = Vec::with_capacity(body.entries.len());
    for (index, mark) in body.entries.iter().enumerate() {
        if !seen.insert(mark.period_id) {
            check.fail(
                &format!("entries[{index}].period_id"),
                "duplicate",
                "The period is marked twice.",
            );
        }
        desired.push(check_mark(&mut check, index, mark, date));
    }
    check.finish()?;
    let organisation_id = actor.organisation_id;
    let cipher = state.cipher.clone();
    let sheet = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (sheet, unit_id, group_name) = store::sheet(conn, id).await?.ok_or(ApiError::NotFound)?;
            access::write_attendance(&actor, unit_id.into())?;
            let ids: Vec<PeriodId> = body.entries.iter().map(|e| PeriodId::from(e.period_id)).collect();
            let plans: HashMap<PeriodId, PeriodPlan> = store::lock_periods(conn, sheet, &ids)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            let mut check = Checker::default();
            for (index, mark) in body.entries.iter().enumerate() {
                let field = format!("entries[{index}].period_id");
                let Some(plan) = plans.get(&PeriodId::from(mark.period_id)) else {
                    check.fail(
                        &field,
                        "unknown_period",
                        "No period of this organisation has this id.",
                    );
                    continue;
                };
                if mark
                    .client_id
                    .is_some_and(|client| ClientId::from(client) != plan.client_id)
                {
                    check.fail(
                        &format!("entries[{index}].client_id"),
                        "not_the_periods_client",
                        "The period is another client's.",
                    );
                } else if !plan.member {
                    check.fail(&field, "not_in_sheet", "The period is not in this unit or group.");
                } else if !plan.plan().covers(date) {
                    check.fail(&field, "outside_period", "The day is outside the period's dates.");
                }
            }
            check.finish()?;
            for plan in plans.values() {
                access::write_attendance(&actor, plan.client_unit_id)?;
            }
            let existing: HashMap<PeriodId, AttendanceRow> = store::records(conn, &ids, (date, date))
                .await?
                .into_iter()
                .map(|r| (r.period_id, r))
                .collect();
            let mut steps: Vec<(PeriodId, Step)> = Vec::new();
            for (mark, values) in body.entries.iter().zip(desired) {
                let period = PeriodId::from(mark.period_id);
                let current = existing.get(&period);
                match (current, values) {
                    (None, Some(values)) => steps.push((period, Step::Insert(values))),
                    (Some(row), Some(values)) if Values::of(row) != values => {
                        steps.push((period, Step::Correct(row.id, Values::of(row), values)));
                    }
                    (Some(row), None) => steps.push((period, Step::Remove(row.id, Values::of(row)))),
                    _ => {}
                }
            }
            let changed = u32::try_from(steps.len()).unwrap_or(u32::MAX);
            if !steps.is_empty() {
                apply(conn, (&cipher, &meta), &actor, (date, id), &plans, steps, reason).await?;
            }
            let ordered: Vec<PeriodPlan> = ids.iter().filter_map(|p| plans.get(p).cloned()).collect();
            let mut rows = rows(conn, &ordered, date).await?;
            shown_to_writer(conn, &meta, &actor, (date, id, unit_id), &ordered, &mut rows).await?;
            Ok(DaySheet {
                date,
                unit_id,
                group_id: matches!(sheet, Sheet::Group(_)).then_some(id),
                group_name,
                holiday: holiday_info(date),
                changed,
                rows,
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(sheet))
}

/// What a day's marker sees of the rows marked: the clients they may read in full, with a
/// read of them logged (whatever the request changed); the others' ids and statuses only.
async fn shown_to_writer(
    conn: &mut AsyncPgConnection,
    meta: &RequestMeta,
    actor: &Actor,
    (date, sheet_id, unit_id): (NaiveDate, Uuid, Uuid),
    plans: &[PeriodPlan],
    rows: &mut [SheetRow],
) -> Result<(), ApiError> {
    let (mut clients, mut records) = (Vec::new(), Vec::new());
    for (plan, row) in plans.iter().zip(rows.iter_mut()) {
        if access::read(actor, plan.client_unit_id, None).is_ok() {
            clients.push(row.client_id);
            records.extend(row.record.as_ref().map(|r| r.id));
        } else {
            row.first_names = None;
            row.last_name = None;
            row.warnings = Vec::new();
        }
    }
    if clients.is_empty() {
        return Ok(());
    }
    let event = AuditEvent::client(
        actor.organisation_id,
        actor.audit(),
        ClientAction::Read,
        RESOURCE,
        clients,
        records,
    )
    .with(json!({ "date": date, "sheet_id": sheet_id }));
    let event = match access::read(actor, unit_id.into(), None) {
        Ok(granted) => granted.mark(event),
        Err(_) => event,
    };
    audit::record(conn, meta, event).await.map_err(ApiError::from)
}

/// Writes a day's steps: inserts, corrections and removals each in one statement, the
/// previous values into the rectification history, and one access-log event per kind.
async fn apply(
    conn: &mut AsyncPgConnection,
    (cipher, meta): (&Cipher, &RequestMeta),
    actor: &Actor,
    (date, sheet_id): (NaiveDate, Uuid),
    plans: &HashMap<PeriodId, PeriodPlan>,
    steps: Vec<(PeriodId, Step)>,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let organisation_id = actor.organisation_id;
    let (user, api_client) = actor.audit_ids();
    let client_of = |period: &PeriodId| {
        plans
            .get(period)
            .map_or(ClientId::from(Uuid::nil()), |p| p.client_id)
    };
    let mut inserts = Vec::new();
    let mut corrections = Corrections::default();
    let mut removals = Vec::new();
    let mut history = Vec::new();
    let (mut corrected_clients, mut removed_clients) = (Vec::new(), Vec::new());
    for (period, step) in steps {
        let client = client_of(&period);
        match step {
            Step::Insert(values) => inserts.push(NewAttendance {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client,
                period_id: period,
                on_date: date,
                status: values.status,
                hours: values.hours,
                starts_at: values.starts_at,
                ends_at: values.ends_at,
                absence_reason: values.reason,
                note: values.note,
                recorded_by_user_id: user,
                recorded_by_api_client_id: api_client,
                updated_by_user_id: user,
                updated_by_api_client_id: api_client,
            }),
            Step::Correct(record, old, new) => {
                let mut change = Change {
                    reason: reason.clone(),
                    ..Change::default()
                };
                for ((field, before), (_, after)) in old.fields().into_iter().zip(new.fields()) {
                    if before != after {
                        change.push(field, before);
                    }
                }
                history.push((client, record, change));
                corrections.ids.push(record);
                corrections.statuses.push(new.status);
                corrections.hours.push(new.hours);
                corrections.starts_at.push(new.starts_at);
                corrections.ends_at.push(new.ends_at);
                corrections.reasons.push(new.reason);
                corrections.notes.push(new.note);
                corrected_clients.push((client, record));
            }
            Step::Remove(record, old) => {
                let mut change = Change {
                    reason: reason.clone(),
                    ..Change::default()
                };
                for (field, before) in old.fields() {
                    change.push(field, before);
                }
                history.push((client, record, change));
                removals.push(record);
                removed_clients.push((client, record));
            }
        }
    }
    let details = json!({ "date": date, "sheet_id": sheet_id });
    if !inserts.is_empty() {
        store::insert(conn, &inserts).await?;
        let event = AuditEvent::client(
            organisation_id,
            actor.audit(),
            ClientAction::Create,
            RESOURCE,
            inserts.iter().map(|i| i.client_id).collect(),
            inserts.iter().map(|i| i.id).collect(),
        )
        .with(details.clone());
        audit::record(conn, meta, event).await?;
    }
    let entries: Vec<changes::Entry<'_>> = history
        .iter()
        .map(|(client, record, change)| changes::Entry {
            client: *client,
            record_type: RESOURCE,
            record_id: *record,
            change,
        })
        .collect();
    changes::record_all(conn, cipher, actor, &entries).await?;
    if !corrected_clients.is_empty() {
        store::correct(conn, &corrections, (user, api_client)).await?;
        let event = AuditEvent::client(
            organisation_id,
            actor.audit(),
            ClientAction::Update,
            RESOURCE,
            corrected_clients.iter().map(|(c, _)| *c).collect(),
            corrected_clients.iter().map(|(_, r)| *r).collect(),
        )
        .with(details.clone());
        audit::record(conn, meta, event).await?;
    }
    if !removals.is_empty() {
        store::remove(conn, &removals).await?;
        let event = AuditEvent::client(
            organisation_id,
            actor.audit(),
            ClientAction::Delete,
            RESOURCE,
            removed_clients.iter().map(|(c, _)| *c).collect(),
            removals,
        )
        .with(details);
        audit::record(conn, meta, event).await?;
    }
    Ok(())
}

/// A month view of `plans` from their records.
fn calendar(
    plans: &[PeriodPlan],
    (first, last): (NaiveDate, NaiveDate),
    records: &[AttendanceRow],
) -> CalendarResponse {
    let holidays = regularity::holiday_dates(first, last);
    let by_day: HashMap<(PeriodId, NaiveDate), &AttendanceRow> =
        records.iter().map(|r| ((r.period_id, r.on_date), r)).collect();
    let days = regularity::days(first, last)
        .map(|date| CalendarDay {
            date,
            holiday: holiday_info(date),
            periods: plans
                .iter()
                .filter(|p| p.plan().covers(date))
                .map(|p| CalendarEntry {
                    period_id: p.id.into(),
                    planned: p.plan().plans(date, &holidays),
                    record: by_day.get(&(p.id, date)).map(|r| r.response()),
                })
                .collect(),
        })
        .collect();
    CalendarResponse {
        month: first.format("%Y-%m").to_string(),
        days,
        regularity: report(plans, (first, last), records).total,
    }
}

/// Regularity of each of `plans` over the range and in total.
fn report(
    plans: &[PeriodPlan],
    range: (NaiveDate, NaiveDate),
    records: &[AttendanceRow],
) -> RegularityReport {
    let holidays = regularity::holiday_dates(range.0, range.1);
    let today = today();
    let mut total = Regularity {
        from: range.0,
        to: range.1,
        ..Regularity::default()
    };
    let mut marks: HashMap<PeriodId, Vec<regularity::Mark>> = HashMap::new();
    for record in records {
        marks.entry(record.period_id).or_default().push(record.mark());
    }
    let periods = plans
        .iter()
        .map(|p| {
            let figures = regularity::of_period(
                &p.plan(),
                range,
                today,
                marks.get(&p.id).map_or(&[][..], Vec::as_slice),
                &holidays,
            );
            regularity::add(&mut total, &figures);
            PeriodRegularity {
                period_id: p.id.into(),
                client_id: p.client_id.into(),
                first_names: Some(p.first_names.clone()),
                last_name: Some(p.last_name.clone()),
                service_type: p.service_type.clone(),
                regularity: figures,
            }
        })
        .collect();
    RegularityReport {
        subject_id: Uuid::nil(),
        total,
        periods,
    }
}

/// What a read of a period's or client's attendance covers.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Period(PeriodId),
    Client(ClientId),
}

impl Subject {
    /// The id of the period or client (the report's `subject_id`).
    fn id(self) -> Uuid {
        match self {
            Subject::Period(id) => id.uuid(),
            Subject::Client(id) => id.uuid(),
        }
    }
}

/// The plans and records of a period or client over a range, with the read logged.
async fn subject_records(
    conn: &mut AsyncPgConnection,
    meta: &RequestMeta,
    actor: &Actor,
    subject: Subject,
    range: (NaiveDate, NaiveDate),
    reason: Option<String>,
) -> Result<(Vec<PeriodPlan>, Vec<AttendanceRow>), ApiError> {
    let (client, granted) = match subject {
        Subject::Period(id) => {
            let (_, client, granted) = crate::periods::readable(conn, actor, id, reason).await?;
            (client, granted)
        }
        Subject::Client(id) => crate::clients::readable(conn, actor, id, reason).await?,
    };
    let mut plans = store::client_periods(conn, client.id, range).await?;
    if let Subject::Period(id) = subject {
        plans.retain(|p| p.id == id);
    }
    let ids: Vec<PeriodId> = plans.iter().map(|p| p.id).collect();
    let records = store::records(conn, &ids, range).await?;
    let event = AuditEvent::client(
        actor.organisation_id,
        actor.audit(),
        ClientAction::Read,
        RESOURCE,
        vec![client.id],
        records.iter().map(|r| r.id).collect(),
    )
    .with(json!({ "from": range.0, "to": range.1 }));
    audit::record(conn, meta, granted.mark(event)).await?;
    Ok((plans, records))
}

/// A month of a period's or client's attendance, with the read logged.
async fn month_of(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    subject: Subject,
    params: MonthParams,
) -> Result<web::Json<CalendarResponse>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let range = regularity::month("month", &params.month)?;
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (plans, records) = subject_records(conn, &meta, &actor, subject, range, reason).await?;
            Ok(calendar(&plans, range, &records))
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// Regularity of a period or client over a range, with the read logged.
async fn range_of(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    subject: Subject,
    params: RangeParams,
) -> Result<web::Json<RegularityReport>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let range = regularity::range(params.from, params.to)?;
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let subject_id = subject.id();
            let (plans, records) = subject_records(conn, &meta, &actor, subject, range, reason).await?;
            let mut out = report(&plans, range, &records);
            out.subject_id = subject_id;
            Ok(out)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}

/// A month of a period's attendance: every day of the period, planned or not, with its
/// record and holidays, and the month's regularity.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), MonthParams),
    responses(
        (status = 200, description = "The month", body = CalendarResponse),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
        (status = 422, description = "Invalid month", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/periods/{period_id}/attendance")]
pub async fn period_calendar(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<MonthParams>,
) -> Result<web::Json<CalendarResponse>, ApiError> {
    month_of(
        state,
        meta,
        actor,
        Subject::Period(path.into_inner()),
        params.into_inner(),
    )
    .await
}

/// A month of a client's attendance over all their periods running that month.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), MonthParams),
    responses(
        (status = 200, description = "The month", body = CalendarResponse),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
        (status = 422, description = "Invalid month", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}/attendance")]
pub async fn client_calendar(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<MonthParams>,
) -> Result<web::Json<CalendarResponse>, ApiError> {
    month_of(
        state,
        meta,
        actor,
        Subject::Client(path.into_inner()),
        params.into_inner(),
    )
    .await
}

/// Regularity of a period over a date range: planned days (the schedule's weekdays,
/// Finnish holidays excluded), present days and hours, absences by reason and the
/// attendance percentage.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), RangeParams),
    responses(
        (status = 200, description = "The figures", body = RegularityReport),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
        (status = 422, description = "Invalid range", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/periods/{period_id}/regularity")]
pub async fn period_regularity(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<RangeParams>,
) -> Result<web::Json<RegularityReport>, ApiError> {
    range_of(
        state,
        meta,
        actor,
        Subject::Period(path.into_inner()),
        params.into_inner(),
    )
    .await
}

/// Regularity of a client over a date range, per period and in total.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), RangeParams),
    responses(
        (status = 200, description = "The figures", body = RegularityReport),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
        (status = 422, description = "Invalid range", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}/regularity")]
pub async fn client_regularity(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<RangeParams>,
) -> Result<web::Json<RegularityReport>, ApiError> {
    range_of(
        state,
        meta,
        actor,
        Subject::Client(path.into_inner()),
        params.into_inner(),
    )
    .await
}

/// Regularity of a unit's periods in a month, per period (by client name) and in total.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("unit_id" = Uuid, Path, description = "The unit"), MonthParams),
    responses(
        (status = 200, description = "The figures", body = RegularityReport),
        NotLoggedIn,
        NotForUnit,
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid month", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/units/{unit_id}/regularity")]
pub async fn unit_regularity(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<Uuid>,
    params: web::Query<MonthParams>,
) -> Result<web::Json<RegularityReport>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let range = regularity::month("month", &params.month)?;
    let id = path.into_inner();
    let out = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, unit, _) = match store::sheet(conn, id).await? {
                Some(found @ (Sheet::Unit(_), _, _)) => found,
                _ => return Err(ApiError::NotFound),
            };
            let granted = access::read(&actor, unit.into(), reason.clone())?;
            let mut plans = store::unit_periods(conn, unit, range).await?;
            plans.retain(|p| access::read(&actor, p.client_unit_id, reason.clone()).is_ok());
            let ids: Vec<PeriodId> = plans.iter().map(|p| p.id).collect();
            let records = store::records(conn, &ids, range).await?;
            let mut out = report(&plans, range, &records);
            out.subject_id = unit;
            // A unit without periods that month shows no client: nothing to log.
            if !plans.is_empty() {
                let event = AuditEvent::client(
                    actor.organisation_id,
                    actor.audit(),
                    ClientAction::Read,
                    RESOURCE,
                    plans.iter().map(|p| p.client_id).collect(),
                    records.iter().map(|r| r.id).collect(),
                )
                .with(json!({ "unit_id": unit, "month": params.month }));
                audit::record(conn, &meta, granted.mark(event)).await?;
            }
            Ok(out)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(out))
}
