//! The rules of kuntouttava työtoiminta (Act 189/2001 as amended) and municipal
//! practice, as warnings: a period outside them is saved, and the response says why it
//! deserves a second look.

use chrono::{Months, NaiveDate};

use super::api::RuleWarning;

/// Shortest period the Act allows, in months.
const MIN_MONTHS: u32 = 3;
/// Longest period before the activation plan must be reviewed, in months.
const MAX_MONTHS: u32 = 24;

/// What the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// End.
    pub ends_on: Option<NaiveDate>,
    /// Days per week.
    pub days_per_week: Option<i16>,
    /// Hours per day.
    pub hours_per_day: Option<f64>,
}

fn warning(code: &'static str, field: &'static str, message: impl Into<String>) -> RuleWarning {
    RuleWarning {
        code,
        field,
        message: message.into(),
    }
}

/// The day the activation plan of a KTT period starting on `starts_on` must be reviewed.
pub fn review_due(starts_on: NaiveDate) -> NaiveDate {
    starts_on
        .checked_add_months(Months::new(MAX_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// Warnings for a KTT period on `today`.
pub fn ktt_warnings(schedule: &Schedule, today: NaiveDate) -> Vec<RuleWarning> {
    let mut out = Vec::new();
    if let Some(end) = schedule.planned_end_on.or(schedule.ends_on) {
        let shortest = schedule
            .starts_on
            .checked_add_months(Months::new(MIN_MONTHS))
            .unwrap_or(NaiveDate::MAX);
        if end < shortest {
            out.push(warning(
                "ktt_period_too_short",
                "planned_end_on",
                "A period of rehabilitative work activity lasts at least 3 months.",
            ));
        }
        if end > review_due(schedule.starts_on) {
            out.push(warning(
                "ktt_period_too_long",
                "planned_end_on",
                "A period lasts at most 24 months before the activation plan is reviewed.",
            ));
        }
    }
    if let Some(days) = schedule.days_per_week
        && !(1..=4).contains(&days)
    {
        out.push(warning(
            "ktt_days_per_week",
            "days_per_week",
            format!("The Act allows 1–4 days a week; {days} planned."),
        ));
    }
    if let Some(hours) = schedule.hours_per_day {
        if hours < 4.0 {
            out.push(warning(
                "ktt_hours_per_day_min",
                "hours_per_day",
                "The Act requires at least 4 hours a day.",
            ));
        }
        if hours > 8.0 {
            out.push(warning(
                "ktt_hours_per_day_max",
                "hours_per_day",
                "Municipal practice caps a day at 8 hours.",
            ));
        }
        if let Some(days) = schedule.days_per_week
            && f64::from(days) * hours > 32.0
        {
            out.push(warning(
                "ktt_hours_per_week",
                "hours_per_day",
                format!(
                    "Municipal practice caps a week at 32 hours; {} planned.",
                    f64::from(days) * hours
                ),
            ));
        }
    }
    if schedule.ends_on.is_none() && today >= review_due(schedule.starts_on) {
        out.push(warning(
            "ktt_activation_plan_review",
            "starts_on",
            "The period has lasted 24 months: the activation plan is due for review.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn codes(schedule: Schedule, today: NaiveDate) -> Vec<&'static str> {
        ktt_warnings(&schedule, today)
            .into_iter()
            .map(|w| w.code)
            .collect()
    }

    fn schedule(days: i16, hours: f64, end: Option<NaiveDate>) -> Schedule {
        Schedule {
            starts_on: day(2026, 1, 5),
            planned_end_on: end,
            ends_on: None,
            days_per_week: Some(days),
            hours_per_day: Some(hours),
        }
    }

    #[test]
    fn a_schedule_within_the_act_has_no_warnings() {
        for (days, hours) in [(1, 4.0), (4, 8.0), (3, 6.5)] {
            assert!(codes(schedule(days, hours, Some(day(2026, 7, 5))), day(2026, 2, 1)).is_empty());
        }
    }

    #[test]
    fn each_broken_rule_is_named() {
        let today = day(2026, 2, 1);
        assert_eq!(codes(schedule(5, 6.0, None), today), vec!["ktt_days_per_week"]);
        assert_eq!(
            codes(schedule(2, 3.5, None), today),
            vec!["ktt_hours_per_day_min"]
        );
        assert_eq!(
            codes(schedule(4, 9.0, None), today),
            vec!["ktt_hours_per_day_max", "ktt_hours_per_week"]
        );
        assert_eq!(
            codes(schedule(5, 7.0, None), today),
            vec!["ktt_days_per_week", "ktt_hours_per_week"]
        );
        assert_eq!(
            codes(schedule(2, 6.0, Some(day(2026, 4, 4))), today),
            vec!["ktt_period_too_short"]
        );
        assert!(
            codes(schedule(2, 6.0, Some(day(2026, 4, 5))), today).is_empty(),
            "exactly 3 months"
        );
        assert_eq!(
            codes(schedule(2, 6.0, Some(day(2028, 1, 6))), today),
            vec!["ktt_period_too_long"]
        );
    }

    #[test]
    fn the_activation_plan_review_is_due_at_24_months_of_an_open_period() {
        let open = schedule(2, 6.0, None);
        assert!(codes(open, day(2028, 1, 4)).is_empty());
        assert_eq!(codes(open, day(2028, 1, 5)), vec!["ktt_activation_plan_review"]);
        let ended = Schedule {
            ends_on: Some(day(2027, 1, 5)),
            ..open
        };
        assert!(codes(ended, day(2028, 6, 1)).is_empty());
        assert_eq!(review_due(day(2024, 2, 29)), day(2026, 2, 28));
    }
}
