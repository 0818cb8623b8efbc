//! `Email`: a login name that has been checked and normalised.

use validator::ValidateEmail;

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses user input; `None` when it is not an email address.
    pub fn parse(input: &str) -> Option<Self> {
        let normalised = input.trim().to_lowercase();
        (normalised.len() <= 254 && normalised.validate_email()).then_some(Self(normalised))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_refuses_non_addresses() {
        assert_eq!(
            Email::parse("  Aino.Virtanen@Kunta.FI ").unwrap().as_str(),
            "aino.virtanen@kunta.fi"
        );
        for bad in [
            "",
            "aino",
            "aino@",
            "@kunta.fi",
            "a b@kunta.fi",
            &format!("{}@kunta.fi", "a".repeat(250)),
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
