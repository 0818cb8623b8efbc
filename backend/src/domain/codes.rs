//! Code lists: the `code_list!` macro that every area defines its stored codes with, and
//! the lists more than one area shows (the client's language of service). Also the serde
//! helper that tells an absent field from an explicit `null` in a partial update.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Defines a stored code list: an enum that serialises in snake case and converts to and
/// from the text stored in the database.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every value.
            pub const ALL: &[$name] = &[$($name::$variant,)+];

            /// Stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses a stored name.
            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|item| item.as_str() == value)
            }
        }
    };
}

code_list! {
    /// Language of service.
    Language {
        /// Finnish.
        Fi => "fi",
        /// Swedish.
        Sv => "sv",
        /// English.
        En => "en",
        /// Another language (with an interpreter).
        Other => "other",
    }
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
