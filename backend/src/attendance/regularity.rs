//! Planned days and regularity: which days a period's schedule plans (its weekdays inside
//! the period, holidays excluded) and how the marks compare with them. Pure functions,
//! shared by the calendar, the regularity reports and the period reports.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};

use super::api::{AbsenceReason, AttendanceStatus, Regularity};
use super::holidays;
use crate::error::ApiError;

/// Longest range a regularity report covers, in days (ten years).
pub const MAX_RANGE_DAYS: i64 = 3660;

/// What decides a period's planned days.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    /// Start.
    pub starts_on: NaiveDate,
    /// End, if ended.
    pub ends_on: Option<NaiveDate>,
    /// ISO weekdays of the schedule (1 = Monday).
    pub weekdays: &'a [i16],
}

impl Plan<'_> {
    /// The day lies inside the period.
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.starts_on && self.ends_on.is_none_or(|end| date <= end)
    }

    /// The day is planned: inside the period, one of its weekdays, not a holiday.
    pub fn plans(&self, date: NaiveDate, holidays: &HashSet<NaiveDate>) -> bool {
        let weekday = i16::try_from(date.weekday().number_from_monday()).unwrap_or(0);
        self.covers(date) && self.weekdays.contains(&weekday) && !holidays.contains(&date)
    }
}

/// A day's mark, as regularity needs it.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    /// Day.
    pub date: NaiveDate,
    /// Present or absent.
    pub status: AttendanceStatus,
    /// Hours present.
    pub hours: Option<f64>,
    /// Reason of an absence.
    pub reason: Option<AbsenceReason>,
}

/// The holiday dates between `from` and `to`.
pub fn holiday_dates(from: NaiveDate, to: NaiveDate) -> HashSet<NaiveDate> {
    holidays::between(from, to)
        .into_iter()
        .map(|(day, _)| day)
        .collect()
}

/// Every day from `from` to `to`, inclusive.
pub fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(from), |day| day.checked_add_days(Days::new(1)))
        .take_while(move |day| *day <= to)
}

fn percentage(present: u32, planned: u32) -> Option<f64> {
    (planned > 0).then(|| (f64::from(present) * 1000.0 / f64::from(planned)).round() / 10.0)
}

/// Regularity of one period over `from`–`to` on `today`, from its marks in the range.
pub fn of_period(
    plan: &Plan<'_>,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    marks: &[Mark],
    holidays: &HashSet<NaiveDate>,
) -> Regularity {
    let mut out = Regularity {
        from,
        to,
        ..Regularity::default()
    };
    let marked: HashSet<NaiveDate> = marks.iter().map(|m| m.date).collect();
    for day in days(from, to).filter(|day| plan.plans(*day, holidays)) {
        out.planned_days += 1;
        if day <= today {
            out.planned_days_to_date += 1;
            if !marked.contains(&day) {
                out.unmarked_planned_days += 1;
            }
        }
    }
    for mark in marks.iter().filter(|m| (from..=to).contains(&m.date)) {
        match mark.status {
            AttendanceStatus::Present => {
                out.present_days += 1;
                out.present_hours += mark.hours.unwrap_or(0.0);
            }
            AttendanceStatus::Absent => {
                out.absent_days += 1;
                let counter = match mark.reason.unwrap_or(AbsenceReason::Other) {
                    AbsenceReason::Sick => &mut out.absences.sick,
                    AbsenceReason::Authorised => &mut out.absences.authorised,
                    AbsenceReason::Unauthorised => &mut out.absences.unauthorised,
                    AbsenceReason::Holiday => &mut out.absences.holiday,
                    AbsenceReason::Other => &mut out.absences.other,
                };
                *counter += 1;
            }
        }
    }
    out.attendance_percentage = percentage(out.present_days, out.planned_days_to_date);
    out
}

/// Adds one period's figures to a total over the same range.
pub fn add(total: &mut Regularity, part: &Regularity) {
    total.planned_days += part.planned_days;
    total.planned_days_to_date += part.planned_days_to_date;
    total.present_days += part.present_days;
    total.present_hours += part.present_hours;
    total.absent_days += part.absent_days;
    total.absences.sick += part.absences.sick;
    total.absences.authorised += part.absences.authorised;
    total.absences.unauthorised += part.absences.unauthorised;
    total.absences.holiday += part.absences.holiday;
    total.absences.other += part.absences.other;
    total.unmarked_planned_days += part.unmarked_planned_days;
    total.attendance_percentage = percentage(total.present_days, total.planned_days_to_date);
}

/// The first and last day of a month given as `YYYY-MM` (422 on the field otherwise).
pub fn month(field: &str, value: &str) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let invalid = || ApiError::invalid_field(field, "invalid_month", "Give the month as YYYY-MM.");
    let (year, month) = value.split_once('-').ok_or_else(invalid)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(invalid());
    }
    let year: i32 = year.parse().map_err(|_| invalid())?;
    let month: u32 = month.parse().map_err(|_| invalid())?;
    if !(1900..=2100).contains(&year) {
        return Err(ApiError::invalid_field(
            field,
            "out_of_range",
            "Give a month between 1900 and 2100.",
        ));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(invalid)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .ok_or_else(invalid)?;
    Ok((first, last))
}

/// A checked date range: `to` not before `from`, at most ten years, within 1900–2100.
pub fn range(from: NaiveDate, to: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut check = crate::domain::check::Checker::default();
    check.date("from", Some(from));
    check.date("to", Some(to));
    if to < from {
        check.fail("to", "before_from", "The range ends before it starts.");
    } else if (to - from).num_days() >= MAX_RANGE_DAYS {
        check.fail("to", "range_too_long", "Ask for at most ten years at a time.");
    }
    check.finish()?;
    Ok((from, to))
}

/// Regularity of one period over a range from its records, for the period's reports;
/// `None` when nothing was planned or recorded in the range.
pub async fn of_stored_period(
    conn: &mut diesel_async::AsyncPgConnection,
    period: &crate::periods::PeriodRow,
    range: (NaiveDate, NaiveDate),
) -> diesel::QueryResult<Option<Regularity>> {
    let records = super::store::records(conn, &[period.id], range).await?;
    let plan = Plan {
        starts_on: period.starts_on,
        ends_on: period.ends_on,
        weekdays: &period.weekdays,
    };
    let marks: Vec<Mark> = records.iter().map(super::store::AttendanceRow::mark).collect();
    let regularity = of_period(
        &plan,
        range,
        crate::domain::check::today(),
        &marks,
        &holiday_dates(range.0, range.1),
    );
    Ok((regularity.planned_days != 0 || !records.is_empty()).then_some(regularity))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn planned(weekdays: &[i16], from: &str, to: &str) -> u32 {
        let (from, to) = (date(from), date(to));
        let plan = Plan {
            starts_on: date("2000-01-01"),
            ends_on: None,
            weekdays,
        };
        of_period(
            &plan,
            (from, to),
            date("2100-01-01"),
            &[],
            &holiday_dates(from, to),
        )
        .planned_days
    }

    /// Weekdays Monday–Friday of each month minus its weekday holidays, counted by hand
    /// from the calendar.
    #[test]
    fn planned_days_skip_the_holidays_of_spring_and_midsummer() {
        let weekdays = [1, 2, 3, 4, 5];
        for (from, to, expected, why) in [
            // 2024: Good Friday 29.3., Easter Monday 1.4.
            (
                "2024-03-01",
                "2024-03-31",
                20,
                "March 2024: 21 weekdays − Good Friday",
            ),
            (
                "2024-04-01",
                "2024-04-30",
                21,
                "April 2024: 22 weekdays − Easter Monday",
            ),
            // 2024: May Day 1.5. (Wed), Ascension 9.5. (Thu)
            (
                "2024-05-01",
                "2024-05-31",
                21,
                "May 2024: 23 weekdays − May Day − Ascension",
            ),
            // 2024: Midsummer Eve 21.6.
            (
                "2024-06-01",
                "2024-06-30",
                19,
                "June 2024: 20 weekdays − Midsummer Eve",
            ),
            // 2025: Good Friday 18.4., Easter Monday 21.4.
            (
                "2025-04-01",
                "2025-04-30",
                20,
                "April 2025: 22 weekdays − Good Friday − Easter Monday",
            ),
            // 2025: May Day 1.5. (Thu), Ascension 29.5. (Thu)
            (
                "2025-05-01",
                "2025-05-31",
                20,
                "May 2025: 22 weekdays − May Day − Ascension",
            ),
            (
                "2025-06-01",
                "2025-06-30",
                20,
                "June 2025: 21 weekdays − Midsummer Eve 20.6.",
            ),
            // 2026: Good Friday 3.4., Easter Monday 6.4., Ascension 14.5., Midsummer Eve 19.6.
            (
                "2026-04-01",
                "2026-04-30",
                20,
                "April 2026: 22 weekdays − Good Friday − Easter Monday",
            ),
            (
                "2026-05-01",
                "2026-05-31",
                19,
                "May 2026: 21 weekdays − May Day − Ascension",
            ),
            (
                "2026-06-01",
                "2026-06-30",
                21,
                "June 2026: 22 weekdays − Midsummer Eve",
            ),
            // 2027: Good Friday 26.3., Easter Monday 29.3., Ascension 6.5., Midsummer Eve 25.6.
            (
                "2027-03-01",
                "2027-03-31",
                21,
                "March 2027: 23 weekdays − Good Friday − Easter Monday",
            ),
            (
                "2027-12-01",
                "2027-12-31",
                21,
                "December 2027: 23 weekdays − 6.12. (Mon) − 24.12. (Fri)",
            ),
        ] {
            assert_eq!(planned(&weekdays, from, to), expected, "{why}");
        }
    }

    #[test]
    fn planned_days_follow_the_weekdays_and_the_period() {
        // Mondays, Wednesdays and Fridays of April 2026: 13 days, less Good Friday (3.4.)
        // and Easter Monday (6.4.).
        assert_eq!(planned(&[1, 3, 5], "2026-04-01", "2026-04-30"), 11);
        assert_eq!(planned(&[], "2026-04-01", "2026-04-30"), 0);
        let plan = Plan {
            starts_on: date("2026-04-15"),
            ends_on: Some(date("2026-04-24")),
            weekdays: &[1, 2, 3, 4, 5],
        };
        let (from, to) = (date("2026-04-01"), date("2026-04-30"));
        let regularity = of_period(
            &plan,
            (from, to),
            date("2026-04-20"),
            &[],
            &holiday_dates(from, to),
        );
        assert_eq!(regularity.planned_days, 8);
        assert_eq!(regularity.planned_days_to_date, 4);
        assert_eq!(regularity.unmarked_planned_days, 4);
        assert_eq!(regularity.attendance_percentage, Some(0.0));
    }

    #[test]
    fn marks_count_by_status_and_reason() {
        let plan = Plan {
            starts_on: date("2026-11-01"),
            ends_on: None,
            weekdays: &[1, 2, 3],
        };
        let mark = |day: &str, status, hours, reason| Mark {
            date: date(day),
            status,
            hours,
            reason,
        };
        let marks = [
            mark("2026-11-02", AttendanceStatus::Present, Some(6.0), None),
            mark(
                "2026-11-03",
                AttendanceStatus::Absent,
                None,
                Some(AbsenceReason::Sick),
            ),
            mark("2026-11-06", AttendanceStatus::Present, Some(4.5), None),
        ];
        let (from, to) = (date("2026-11-02"), date("2026-11-08"));
        let r = of_period(
            &plan,
            (from, to),
            date("2026-11-08"),
            &marks,
            &holiday_dates(from, to),
        );
        assert_eq!((r.planned_days, r.present_days, r.absent_days), (3, 2, 1));
        assert_eq!(r.absences.sick, 1);
        assert_eq!(r.unmarked_planned_days, 1);
        assert!((r.present_hours - 10.5).abs() < 1e-9);
        assert_eq!(r.attendance_percentage, Some(66.7));
        let mut total = Regularity::default();
        add(&mut total, &r);
        add(&mut total, &r);
        assert_eq!((total.planned_days, total.present_days), (6, 4));
        assert_eq!(total.attendance_percentage, Some(66.7));
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(
            month("month", "2024-02").ok(),
            Some((date("2024-02-01"), date("2024-02-29")))
        );
        for bad in [
            "2024-2",
            "2024-13",
            "24-02",
            "2024/02",
            "",
            "2024-02-01",
            "1800-01",
        ] {
            assert!(month("month", bad).is_err(), "{bad}");
        }
        assert!(range(date("2026-02-01"), date("2026-01-01")).is_err());
        assert!(range(date("2000-01-01"), date("2026-01-01")).is_err());
    }
}
