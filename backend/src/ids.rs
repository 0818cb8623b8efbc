//! Typed ids of the main entities: a `PeriodId` cannot be passed where a `ClientId` is
//! expected. Each is a UUID on the wire (serde transparent, a path segment parses into
//! it) and in the database (a diesel `Uuid` column type of its own).

/// Defines a typed id over a UUID column.
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new id (UUID v7: time-ordered, so new rows append to the index).
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// The UUID itself (for the access log, which records ids of every kind).
            pub fn uuid(self) -> uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        // A request's raw UUID compares with a stored typed id (e.g. "is the unit asked
        // for the one the client is in?").
        impl PartialEq<uuid::Uuid> for $name {
            fn eq(&self, other: &uuid::Uuid) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for uuid::Uuid {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <uuid::Uuid as diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::to_sql(&self.0, out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <uuid::Uuid as diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::from_sql(bytes)
                    .map(Self)
            }
        }
    };
}

typed_id! {
    /// A client (asiakas).
    ClientId
}

typed_id! {
    /// A service period (jakso).
    PeriodId
}

typed_id! {
    /// A unit (toimintayksikkö).
    UnitId
}

typed_id! {
    /// A staff user.
    UserId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_on_the_wire() {
        let id = ClientId::new();
        let json = serde_json::to_string(&id).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", id.uuid()));
        let back: ClientId = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<PeriodId>("\"not-a-uuid\"").is_err());
    }
}
