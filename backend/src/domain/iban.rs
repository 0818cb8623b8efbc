//! Bank account numbers (IBAN, ISO 13616): the mod-97 check for every country and each
//! country's BBAN length and format from the SWIFT registry (the `iban_validate` crate),
//! Finland's `FI` + 2 check digits + 14 digits included.

use std::fmt;
use std::str::FromStr;

use iban::{IbanLike, ParseBaseIbanError, ParseIbanError};

/// A valid IBAN in electronic form (upper case, no spaces).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Iban(iban::Iban);

/// Why a text is not an IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    /// Not letters and digits in the IBAN shape.
    #[error("an IBAN is a country code, two check digits and the account number")]
    Format,
    /// The check digits do not match.
    #[error("the IBAN's check digits do not match")]
    Checksum,
    /// The account part has the wrong length or format for its country.
    #[error("the account number does not have its country's length or format")]
    CountryFormat,
    /// Not a country that uses IBANs.
    #[error("unknown IBAN country")]
    Country,
}

impl IbanError {
    /// Stable code for problem+json field errors.
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "format",
            Self::Checksum => "checksum",
            Self::CountryFormat => "country_format",
            Self::Country => "country",
        }
    }
}

impl FromStr for Iban {
    type Err = IbanError;

    /// Accepts spaces and lower case (`fi21 1234 5600 0007 85`); stores the electronic form.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let electronic: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if electronic.len() > 34 {
            return Err(IbanError::Format);
        }
        electronic
            .parse::<iban::Iban>()
            .map(Self)
            .map_err(|error| match error {
                ParseIbanError::InvalidBaseIban {
                    source: ParseBaseIbanError::InvalidChecksum,
                } => IbanError::Checksum,
                ParseIbanError::InvalidBaseIban { .. } => IbanError::Format,
                ParseIbanError::InvalidBban(_) => IbanError::CountryFormat,
                ParseIbanError::UnknownCountry(_) => IbanError::Country,
            })
    }
}

impl Iban {
    /// Electronic form: `FI2112345600000785`.
    pub fn as_str(&self) -> &str {
        self.0.electronic_str()
    }

    /// Print form in groups of four: `FI21 1234 5600 0007 85`.
    pub fn print(&self) -> String {
        print_format(self.as_str())
    }

    /// Two-letter country code.
    pub fn country(&self) -> &str {
        self.0.country_code()
    }

    /// For lists and ordinary responses: the country and the last two characters, in
    /// groups of four (`FI** **** **** **** 85`). The check digits stay hidden: with the
    /// last digits they narrow the account down.
    pub fn masked(&self) -> String {
        let text = self.as_str();
        let visible_tail = text.len() - 2;
        let hidden: String = text
            .char_indices()
            .map(|(index, c)| {
                if index < 2 || index >= visible_tail {
                    c
                } else {
                    '*'
                }
            })
            .collect();
        print_format(&hidden)
    }
}

/// An IBAN from a country code and an account number (BBAN), with the ISO 13616 check
/// digits computed (the country and "00" moved behind, letters as 10–35, mod 97).
pub fn with_check_digits(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let remainder = rearranged.chars().fold(0_u32, |acc, c| {
        let value = c.to_digit(36).unwrap_or_default();
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// Groups of four separated by spaces.
fn print_format(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (index, c) in text.chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Debug output is masked: account numbers stay out of logs and panics.
impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Iban").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<Iban, IbanError> {
        text.parse()
    }

    #[test]
    fn finnish_and_foreign_accounts_are_accepted_in_any_spacing_and_case() {
        for (input, electronic) in [
            ("FI2112345600000785", "FI2112345600000785"),
            ("FI21 1234 5600 0007 85", "FI2112345600000785"),
            ("fi21 1234 5600 0007 85", "FI2112345600000785"),
            ("FI49 5000 9420 0287 30", "FI4950009420028730"),
            ("SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466"),
            ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
            ("EE38 2200 2210 2014 5685", "EE382200221020145685"),
        ] {
            let iban = parse(input).unwrap_or_else(|error| panic!("{input}: {error}"));
            assert_eq!(iban.as_str(), electronic);
        }
        let iban = parse("FI21 1234 5600 0007 85").unwrap();
        assert_eq!(iban.country(), "FI");
        assert_eq!(iban.masked(), "FI** **** **** **** 85");
        assert!(!format!("{iban:?}").contains("5600"));
        assert!(!format!("{iban:?}").contains("21"));
    }

    #[test]
    fn invalid_accounts_are_refused_with_the_reason() {
        use IbanError::*;
        for (input, error) in [
            ("FI2112345600000786", Checksum),
            ("FI2212345600000785", Checksum),
            ("", Format),
            ("FI", Format),
            ("FI21-1234-5600-0007-85", Format),
            ("FI21 1234 5600 0007 8Ä", Format),
            ("12FI12345600000785", Format),
            ("FI21123456000007851234567890123456789", Format),
        ] {
            assert_eq!(parse(input), Err(error), "{input:?}");
        }
        // A correct checksum does not make a Finnish account of the wrong length (18
        // characters) or of letters.
        for bban in ["1234560000078", "123456000007851"] {
            assert_eq!(
                parse(&with_check_digits("FI", bban)),
                Err(CountryFormat),
                "{bban}"
            );
        }
        assert_eq!(
            parse(&with_check_digits("FI", "1234560000078A")),
            Err(CountryFormat)
        );
        // Nor does it make a country.
        assert_eq!(parse(&with_check_digits("ZZ", "12345600000785")), Err(Country));
        assert!(parse(&with_check_digits("FI", "12345600000785")).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_finnish_account_with_its_check_digits_round_trips(bban in "[0-9]{14}") {
            let text = with_check_digits("FI", &bban);
            let iban = parse(&text);
            prop_assert!(iban.is_ok(), "{} refused: {:?}", text, iban);
            let iban = iban.unwrap();
            prop_assert_eq!(iban.as_str(), text.as_str());
            let spaced = print_format(&text.to_lowercase());
            prop_assert_eq!(parse(&spaced), Ok(iban));
        }

        /// Mod-97 catches every single-character change of a digit.
        #[test]
        fn every_single_digit_change_is_refused(
            bban in "[0-9]{14}",
            position in 2_usize..18,
            replacement in 0_u8..10,
        ) {
            let text = with_check_digits("FI", &bban);
            let mut changed = text.clone().into_bytes();
            let replacement = b'0' + replacement;
            prop_assume!(changed[position] != replacement);
            changed[position] = replacement;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(parse(&changed).is_err(), "{} accepted after changing {}", changed, text);
        }
    }
}
