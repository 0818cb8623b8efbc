//! The Finnish personal identity code (henkilötunnus) `DDMMYYCZZZQ`, parsed exactly by the
//! rules of the Digital and Population Data Services Agency (DVV), 2023 reform included.
//!
//! The century sign is part of the identifier: `010594Y9032` and `010594-9032` are two
//! different codes (the check character does not cover the sign), so the text is kept as
//! given and never normalised.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// Check characters, indexed by `DDMMYYZZZ mod 31`.
const CHECK_CHARACTERS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A valid personal identity code.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalIdentityCode {
    text: String,
    birth_date: NaiveDate,
    individual_number: u16,
}

/// The sex recorded in the population register, derived from the individual number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisteredSex {
    /// Odd individual number.
    Male,
    /// Even individual number.
    Female,
}

/// Why a text is not a personal identity code. The messages never repeat the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityCodeError {
    /// Not 11 characters.
    #[error("a personal identity code has 11 characters")]
    Length,
    /// Something other than digits where digits belong.
    #[error("a personal identity code has digits in positions 1–6 and 8–10")]
    NotDigits,
    /// The seventh character is not a century sign (`+`, `-`, `Y`, `X`, `W`, `V`, `U`,
    /// `A`–`F`; upper case only).
    #[error("unknown century sign")]
    CenturySign,
    /// Day, month and year do not form a real date.
    #[error("the date of birth does not exist")]
    Date,
    /// Individual number 000 or 001.
    #[error("individual number must be 002–999")]
    IndividualNumber,
    /// The last character does not match.
    #[error("the check character does not match")]
    CheckCharacter,
}

impl IdentityCodeError {
    /// Stable code for problem+json field errors.
    pub fn code(self) -> &'static str {
        match self {
            Self::Length | Self::NotDigits => "format",
            Self::CenturySign => "century_sign",
            Self::Date => "date",
            Self::IndividualNumber => "individual_number",
            Self::CheckCharacter => "check_character",
        }
    }
}

/// The first year of the century a sign stands for.
fn century(sign: u8) -> Option<i32> {
    match sign {
        b'+' => Some(1800),
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => Some(1900),
        b'A' | b'B' | b'C' | b'D' | b'E' | b'F' => Some(2000),
        _ => None,
    }
}

fn digits(bytes: &[u8]) -> Result<u32, IdentityCodeError> {
    bytes.iter().try_fold(0_u32, |value, byte| {
        if byte.is_ascii_digit() {
            Ok(value * 10 + u32::from(byte - b'0'))
        } else {
            Err(IdentityCodeError::NotDigits)
        }
    })
}

/// The check character for a date part `DDMMYY` and an individual number `ZZZ`.
pub fn check_character(date_part: u32, individual_number: u16) -> char {
    let number = date_part * 1000 + u32::from(individual_number);
    char::from(CHECK_CHARACTERS[(number % 31) as usize])
}

impl FromStr for PersonalIdentityCode {
    type Err = IdentityCodeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        if bytes.len() != 11 || !text.is_ascii() {
            return Err(IdentityCodeError::Length);
        }
        let date_part = digits(&bytes[0..6])?;
        let individual = digits(&bytes[7..10])?;
        let first_year = century(bytes[6]).ok_or(IdentityCodeError::CenturySign)?;
        let (day, month, year) = (date_part / 10_000, date_part / 100 % 100, date_part % 100);
        let birth_date = i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(first_year + year, month, day))
            .ok_or(IdentityCodeError::Date)?;
        let individual_number = u16::try_from(individual).map_err(|_| IdentityCodeError::IndividualNumber)?;
        if individual_number < 2 {
            return Err(IdentityCodeError::IndividualNumber);
        }
        if char::from(bytes[10]) != check_character(date_part, individual_number) {
            return Err(IdentityCodeError::CheckCharacter);
        }
        Ok(Self {
            text: text.to_owned(),
            birth_date,
            individual_number,
        })
    }
}

impl PersonalIdentityCode {
    /// The code exactly as issued, century sign included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Date of birth.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Registered sex (odd individual number: male, even: female).
    pub fn sex(&self) -> RegisteredSex {
        if self.individual_number % 2 == 1 {
            RegisteredSex::Male
        } else {
            RegisteredSex::Female
        }
    }

    /// Individual numbers 900–999 are temporary codes (and test codes); they never
    /// belong to a person in the population register.
    pub fn is_temporary(&self) -> bool {
        self.individual_number >= 900
    }

    /// For lists and ordinary responses: the date and sign, the rest hidden
    /// (`131052-****`).
    pub fn masked(&self) -> String {
        mask(&self.text)
    }
}

/// The mask of an identity code (or of its stored prefix): the date of birth and the
/// century sign, which say nothing the birth date does not, and the individual number and
/// check character all hidden (`131052-****`).
pub fn mask(code_or_prefix: &str) -> String {
    format!("{}****", code_or_prefix.chars().take(7).collect::<String>())
}

/// Debug output is masked: identity codes stay out of logs and panics.
impl fmt::Debug for PersonalIdentityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PersonalIdentityCode")
            .field(&self.masked())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SIGNS: &[u8] = b"+-YXWVUABCDEF";

    fn parse(text: &str) -> Result<PersonalIdentityCode, IdentityCodeError> {
        text.parse()
    }

    #[test]
    fn dvv_examples_are_valid() {
        for (text, born, sex) in [
            ("131052-308T", (1952, 10, 13), RegisteredSex::Female),
            ("010594Y9032", (1994, 5, 1), RegisteredSex::Male),
            ("020594X903P", (1994, 5, 2), RegisteredSex::Male),
            ("010516B903X", (2016, 5, 1), RegisteredSex::Male),
            ("010501E9032", (2001, 5, 1), RegisteredSex::Male),
            ("020503F9037", (2003, 5, 2), RegisteredSex::Male),
        ] {
            let code = parse(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            assert_eq!(code.as_str(), text, "the sign is preserved");
            assert_eq!(
                code.birth_date(),
                NaiveDate::from_ymd_opt(born.0, born.1, born.2).unwrap_or_default()
            );
            assert_eq!(code.sex(), sex, "{text}");
            assert_eq!(code.is_temporary(), text != "131052-308T", "{text}");
        }
        assert_eq!(parse("131052-308T").map(|c| c.masked()), Ok("131052-****".into()));
        assert_eq!(parse("010594Y9032").map(|c| c.masked()), Ok("010594Y****".into()));
        let code = parse("010594Y9032").unwrap_or_else(|error| panic!("{error}"));
        assert_ne!(parse("010594-9032"), Ok(code), "another sign is another code");
    }

    #[test]
    fn invalid_codes_are_refused_with_the_reason() {
        use IdentityCodeError::*;
        for (text, error) in [
            ("131052-308U", CheckCharacter),
            ("131052-308t", CheckCharacter),
            ("300294-9030", Date),
            ("290201A9039", Date),
            ("320194-902P", Date),
            ("011394-902P", Date),
            ("010594y9032", CenturySign),
            ("010594a9032", CenturySign),
            ("010594G9032", CenturySign),
            ("010594Z9032", CenturySign),
            ("010594*9032", CenturySign),
            ("010594 9032", CenturySign),
            ("010594-0012", IndividualNumber),
            ("010594-000M", IndividualNumber),
            ("131052-308", Length),
            ("131052-308TT", Length),
            ("", Length),
            ("13105Ä-308T", Length),
            ("1310S2-308T", NotDigits),
            ("131052-3O8T", NotDigits),
            (" 31052-308T", NotDigits),
        ] {
            assert_eq!(parse(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn leap_days_follow_the_century() {
        // 29 February 2000 existed, 1900 and 2100 did not.
        let make = |date: &str, sign: char, individual: u16| {
            let number: u32 = date.parse().unwrap_or_default();
            format!(
                "{date}{sign}{individual:03}{}",
                check_character(number, individual)
            )
        };
        assert!(parse(&make("290200", 'A', 902)).is_ok());
        assert_eq!(parse(&make("290200", '-', 902)), Err(IdentityCodeError::Date));
        assert!(parse(&make("290296", '-', 902)).is_ok());
        assert!(parse(&make("290296", '+', 902)).is_ok());
        assert_eq!(parse(&make("290297", 'B', 902)), Err(IdentityCodeError::Date));
    }

    #[test]
    fn debug_output_is_masked() {
        let code = parse("131052-308T").unwrap_or_else(|error| panic!("{error}"));
        let debug = format!("{code:?}");
        assert!(!debug.contains("308T"), "{debug}");
        assert!(debug.contains("131052-****"), "{debug}");
    }

    /// Any real date from 1800 to 2099, any century sign of its century, any individual
    /// number: the code built with the right check character.
    fn valid_code() -> impl Strategy<Value = (String, NaiveDate, u16)> {
        (0_u64..109_572, 0_usize..6, 2_u16..1000).prop_map(|(offset, choice, individual)| {
            let date = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap_or_default() + chrono::Days::new(offset);
            let signs: &[u8] = match chrono::Datelike::year(&date) / 100 {
                18 => b"+",
                19 => b"-YXWVU",
                _ => b"ABCDEF",
            };
            let sign = char::from(signs[choice % signs.len()]);
            let date_part: u32 = date.format("%d%m%y").to_string().parse().unwrap_or_default();
            let text = format!(
                "{}{sign}{individual:03}{}",
                date.format("%d%m%y"),
                check_character(date_part, individual)
            );
            (text, date, individual)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_valid_code_round_trips((text, date, individual) in valid_code()) {
            let code = parse(&text);
            prop_assert!(code.is_ok(), "{} refused: {:?}", text, code);
            let code = code.unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(code.as_str(), text.as_str());
            prop_assert_eq!(code.birth_date(), date);
            prop_assert_eq!(code.is_temporary(), individual >= 900);
            prop_assert_eq!(code.sex() == RegisteredSex::Male, individual % 2 == 1);
        }

        /// Every single-character change is refused, with one exception the rules make:
        /// the check character does not cover the century sign, so another sign can make
        /// another valid code. That code is then a different identifier (its own date of
        /// birth or sign), never mistaken for the original.
        #[test]
        fn every_single_character_change_is_refused(
            (text, _date, _individual) in valid_code(),
            position in 0_usize..11,
            replacement in prop::sample::select(
                b"0123456789ABCDEFHJKLMNPRSTUVWXYZabcdefy+-* /.".to_vec()
            ),
        ) {
            let mut changed = text.clone().into_bytes();
            prop_assume!(changed[position] != replacement);
            changed[position] = replacement;
            let changed = String::from_utf8(changed).unwrap_or_default();
            match parse(&changed) {
                Err(_) => {}
                Ok(other) => {
                    prop_assert_eq!(position, 6, "{} accepted after changing {}", changed, text);
                    prop_assert!(SIGNS.contains(&replacement));
                    prop_assert_ne!(other.as_str(), text.as_str());
                    prop_assert_ne!(Ok(other), parse(&text));
                }
            }
        }
    }
}
