//! Finnish public holidays (and the de facto days off of Midsummer Eve and Christmas Eve),
//! computed for any year: nothing to keep up to date. Planned attendance days skip them.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A holiday's name in Finnish (the UI translates by `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// Stable code (`good_friday`, ...).
    pub code: &'static str,
    /// Finnish name.
    pub name: &'static str,
}

const fn holiday(code: &'static str, name: &'static str) -> Holiday {
    Holiday { code, name }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm of
/// Meeus, Jones and Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The `weekday` falling in the seven days starting on `month`/`first_day`.
fn weekday_from(year: i32, month: u32, first_day: u32, weekday: Weekday) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, first_day)?;
    let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    first.checked_add_days(Days::new(u64::from(ahead)))
}

fn easter_offset(easter: NaiveDate, days: i64) -> Option<NaiveDate> {
    easter.checked_add_signed(chrono::Duration::days(days))
}

/// Every holiday of `year`, in date order.
pub fn of_year(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let fixed = |month, day, h| NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, h));
    let easter = easter_sunday(year);
    let moving = |days, h| easter.and_then(|e| easter_offset(e, days)).map(|d| (d, h));
    let mut out: Vec<(NaiveDate, Holiday)> = [
        fixed(1, 1, holiday("new_years_day", "Uudenvuodenpäivä")),
        fixed(1, 6, holiday("epiphany", "Loppiainen")),
        moving(-2, holiday("good_friday", "Pitkäperjantai")),
        moving(0, holiday("easter_sunday", "Pääsiäispäivä")),
        moving(1, holiday("easter_monday", "2. pääsiäispäivä")),
        fixed(5, 1, holiday("may_day", "Vappu")),
        moving(39, holiday("ascension_day", "Helatorstai")),
        moving(49, holiday("whitsun", "Helluntaipäivä")),
        weekday_from(year, 6, 19, Weekday::Fri).map(|d| (d, holiday("midsummer_eve", "Juhannusaatto"))),
        weekday_from(year, 6, 20, Weekday::Sat).map(|d| (d, holiday("midsummer_day", "Juhannuspäivä"))),
        weekday_from(year, 10, 31, Weekday::Sat).map(|d| (d, holiday("all_saints_day", "Pyhäinpäivä"))),
        fixed(12, 6, holiday("independence_day", "Itsenäisyyspäivä")),
        fixed(12, 24, holiday("christmas_eve", "Jouluaatto")),
        fixed(12, 25, holiday("christmas_day", "Joulupäivä")),
        fixed(12, 26, holiday("boxing_day", "Tapaninpäivä")),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.sort_by_key(|(date, _)| *date);
    out
}

/// The holiday on `date`, if any.
pub fn on(date: NaiveDate) -> Option<Holiday> {
    of_year(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, h)| h)
}

/// The holidays between `from` and `to` (inclusive), for looking up many days at once.
pub fn between(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Holiday)> {
    (from.year()..=to.year())
        .flat_map(of_year)
        .filter(|(day, _)| (from..=to).contains(day))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        for (year, sunday) in [
            (2019, "2019-04-21"),
            (2020, "2020-04-12"),
            (2021, "2021-04-04"),
            (2022, "2022-04-17"),
            (2023, "2023-04-09"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), Some(date(sunday)), "{year}");
        }
    }

    #[test]
    fn the_moving_holidays_of_several_years() {
        // (year, Good Friday, Easter Monday, Ascension Day, Midsummer Eve, All Saints' Day)
        for (year, good_friday, easter_monday, ascension, midsummer_eve, all_saints) in [
            (
                2024,
                "2024-03-29",
                "2024-04-01",
                "2024-05-09",
                "2024-06-21",
                "2024-11-02",
            ),
            (
                2025,
                "2025-04-18",
                "2025-04-21",
                "2025-05-29",
                "2025-06-20",
                "2025-11-01",
            ),
            (
                2026,
                "2026-04-03",
                "2026-04-06",
                "2026-05-14",
                "2026-06-19",
                "2026-10-31",
            ),
            (
                2027,
                "2027-03-26",
                "2027-03-29",
                "2027-05-06",
                "2027-06-25",
                "2027-11-06",
            ),
        ] {
            let codes: Vec<(NaiveDate, &str)> = of_year(year).iter().map(|(d, h)| (*d, h.code)).collect();
            for (day, code) in [
                (good_friday, "good_friday"),
                (easter_monday, "easter_monday"),
                (ascension, "ascension_day"),
                (midsummer_eve, "midsummer_eve"),
                (all_saints, "all_saints_day"),
            ] {
                assert!(
                    codes.contains(&(date(day), code)),
                    "{year}: {code} on {day}: {codes:?}"
                );
            }
            assert_eq!(codes.len(), 15, "{year}");
        }
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        assert_eq!(on(date("2026-12-03")), None);
        assert_eq!(on(date("2026-12-06")).map(|h| h.code), Some("independence_day"));
        assert_eq!(between(date("2026-12-01"), date("2027-01-31")).len(), 6);
    }
}
