//! Reading a request: collect every field error into one 422, with the rules every area
//! shares (names, free text, dates, identity codes, bank accounts, phones, e-mail).

use chrono::{DateTime, NaiveDate, Utc};
use validator::ValidateEmail;

use crate::domain::iban::Iban;
use crate::domain::identity_code::PersonalIdentityCode;
use crate::error::{ApiError, FieldError};

/// Longest single-line text field.
pub const MAX_TEXT: usize = 200;

/// Collects field errors while reading a request.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// Records an error.
    pub fn fail(&mut self, field: &str, code: &str, message: &str) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// 422 with every error, if there were any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }

    /// A required name: 1–200 characters, no control characters.
    pub fn name(&mut self, field: &str, value: &str) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, "required", "Give a name.");
        } else {
            self.text_rules(field, value, MAX_TEXT);
        }
        value.to_owned()
    }

    /// Optional single-line text: trimmed, empty means none.
    pub fn text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value.map(str::trim).filter(|value| !value.is_empty())?;
        self.text_rules(field, value, max);
        Some(value.to_owned())
    }

    /// Optional free text of several lines (new lines and tabs allowed).
    pub fn long_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value.map(str::trim).filter(|value| !value.is_empty())?;
        if value.chars().count() > max {
            self.fail(field, "too_long", &format!("Use at most {max} characters."));
        } else if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.fail(field, "control_characters", "Remove control characters.");
        }
        Some(value.to_owned())
    }

    fn text_rules(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, "too_long", &format!("Use at most {max} characters."));
        } else if value.chars().any(char::is_control) {
            self.fail(
                field,
                "control_characters",
                "Use one line without control characters.",
            );
        }
    }

    /// A calendar date within the years a record can concern (1900–2100); outside them
    /// (a typing error, or a date the database cannot hold) the field is refused.
    pub fn date(&mut self, field: &str, value: Option<NaiveDate>) {
        let range = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
            ..=NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
        if value.is_some_and(|date| !range.contains(&date)) {
            self.fail(field, "out_of_range", "Give a date between 1900 and 2100.");
        }
    }

    /// A moment within the years a record can concern (1900–2100).
    pub fn moment(&mut self, field: &str, value: Option<DateTime<Utc>>) {
        self.date(field, value.map(|at| at.date_naive()));
    }

    /// A personal identity code.
    pub fn identity_code(&mut self, value: &str, today: NaiveDate) -> Option<PersonalIdentityCode> {
        match value.trim().parse::<PersonalIdentityCode>() {
            Ok(code) if code.birth_date() > today => {
                self.fail(
                    "personal_identity_code",
                    "future_date",
                    "The date of birth in the code is in the future.",
                );
                None
            }
            Ok(code) => Some(code),
            Err(error) => {
                self.fail("personal_identity_code", error.code(), &error.to_string());
                None
            }
        }
    }

    /// A bank account.
    pub fn iban(&mut self, value: &str) -> Option<Iban> {
        match value.parse::<Iban>() {
            Ok(iban) => Some(iban),
            Err(error) => {
                self.fail("iban", error.code(), &error.to_string());
                None
            }
        }
    }

    /// A phone number, normalised to international form (`040 123 4567` → `+358401234567`).
    pub fn phone(&mut self, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|value| !value.is_empty())?;
        match normalise_phone(value) {
            Some(phone) => Some(phone),
            None => {
                self.fail(
                    "phone",
                    "format",
                    "Give a phone number of 7–15 digits, e.g. 040 123 4567 or +358 40 123 4567.",
                );
                None
            }
        }
    }

    /// An email address.
    pub fn email(&mut self, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|value| !value.is_empty())?;
        if value.len() > 254 || !value.validate_email() {
            self.fail(
                "email",
                "format",
                "Give an email address such as name@example.fi.",
            );
        }
        Some(value.to_owned())
    }

    /// A date of birth: a real past date after 1880.
    pub fn birth_date(&mut self, value: NaiveDate, today: NaiveDate) -> NaiveDate {
        let earliest = NaiveDate::from_ymd_opt(1880, 1, 1).unwrap_or(NaiveDate::MIN);
        if value > today || value < earliest {
            self.fail(
                "birth_date",
                "out_of_range",
                "Give a date of birth between 1880 and today.",
            );
        }
        value
    }

    /// Mother tongue: an ISO 639 code in lower case, or `unknown`.
    pub fn mother_tongue(&mut self, value: &str) -> String {
        let value = value.trim().to_ascii_lowercase();
        let valid = value == "unknown"
            || ((2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_lowercase()));
        if !valid {
            self.fail(
                "mother_tongue",
                "format",
                "Give an ISO 639 language code (fi, sv, ar) or unknown.",
            );
        }
        value
    }

    /// Nationality: an ISO 3166 country code, or `unknown`.
    pub fn nationality(&mut self, value: &str) -> String {
        let value = value.trim();
        if value.eq_ignore_ascii_case("unknown") {
            return "unknown".to_owned();
        }
        let value = value.to_ascii_uppercase();
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            self.fail(
                "nationality",
                "format",
                "Give an ISO 3166 country code (FI, SE) or unknown.",
            );
        }
        value
    }
}

/// International form of a phone number, or `None` if it is not one.
pub fn normalise_phone(value: &str) -> Option<String> {
    if value
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')')))
    {
        return None;
    }
    let plus = value.starts_with('+');
    if value[usize::from(plus)..].contains('+') {
        return None;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("358{rest}")
    } else {
        return None;
    };
    let valid = (7..=15).contains(&international.len()) && !international.starts_with('0');
    valid.then(|| format!("+{international}"))
}

/// Today in Finland.
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Helsinki)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_normalised_to_international_form() {
        for (input, expected) in [
            ("040 123 4567", Some("+358401234567")),
            ("+358 40 123 4567", Some("+358401234567")),
            ("00358-40-1234567", Some("+358401234567")),
            ("(09) 310 1691", Some("+35893101691")),
            ("+46 8 123 456 78", Some("+46812345678")),
            ("12345", None),
            ("040 123 456a", None),
            ("+358+40", None),
            ("1234567", None),
            ("0", None),
            ("+0123456789", None),
            ("+1234567890123456", None),
        ] {
            assert_eq!(normalise_phone(input).as_deref(), expected, "{input}");
        }
    }
}
