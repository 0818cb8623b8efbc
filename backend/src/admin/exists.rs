//! What other areas ask of the units and staff the admin keeps: that a unit or a coach
//! named in a request exists in the organisation (a field error otherwise).

use diesel_async::AsyncPgConnection;

use super::store;
use crate::error::ApiError;
use crate::ids::{UnitId, UserId};

/// Which units a request may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitState {
    /// Only open ones: new clients, periods and groups.
    Open,
    /// Closed ones too: reports over months when the unit was open.
    Any,
}

/// 422 on `field` unless the organisation has the unit (open, if asked).
pub async fn unit_exists(
    conn: &mut AsyncPgConnection,
    field: &str,
    unit: UnitId,
    state: UnitState,
) -> Result<(), ApiError> {
    if store::unit_exists(conn, unit, state == UnitState::Open).await? {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "unknown_unit",
            match state {
                UnitState::Open => "No open unit has this id.",
                UnitState::Any => "No unit has this id.",
            },
        ))
    }
}

/// 422 on `field` unless an active user of the organisation has this id.
pub async fn coach_exists(conn: &mut AsyncPgConnection, field: &str, user: UserId) -> Result<(), ApiError> {
    if store::active_user_exists(conn, user).await? {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "unknown_user",
            "No active user has this id.",
        ))
    }
}
