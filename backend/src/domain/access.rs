//! Who may open which client: the one place the unit rule lives.
//!
//! Coaches work with the clients of their own units. A coach may open another unit's
//! client only by stating a reason (e.g. standing in for a colleague); the read is logged
//! with the reason and shows in the DPO's report of unusual access. Managers and API
//! clients with `clients:read` see every client of the organisation; a manager's read
//! outside their own units is flagged in the log too.

use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::ids::UnitId;

use crate::audit::AuditEvent;
use crate::auth::actor::{Actor, Principal};
use crate::error::ApiError;
use crate::permissions::Permission;

/// Why a client of another unit is opened, and which masked values to reveal.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReadParams {
    /// Required to open a client outside one's own units (5–500 characters); recorded in
    /// the access log.
    pub access_reason: Option<String>,
    /// Comma-separated values to show unmasked: `personal_identity_code`, `iban`. Needs
    /// the reveal permission; recorded as a `reveal` event.
    pub reveal: Option<String>,
}

/// Longest reason accepted.
pub const MAX_REASON: usize = 500;

/// How a read of one client is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadAccess {
    /// The client's unit.
    pub unit_id: UnitId,
    /// The client is outside the user's units.
    pub outside_units: bool,
    /// The stated reason, if any (logged).
    pub reason: Option<String>,
}

impl ReadAccess {
    /// The read's event with the stated reason and, for a client outside the reader's
    /// units, the flag and the unit (the DPO's report of unusual access reads them).
    pub fn mark(self, mut event: AuditEvent) -> AuditEvent {
        if self.outside_units {
            event.details["outside_units"] = json!(true);
            event.details["unit_id"] = json!(self.unit_id);
        }
        event.reason(self.reason)
    }
}

/// 403 unless the actor may read clients at all.
pub fn require_read(actor: &Actor) -> Result<(), ApiError> {
    if actor.can(Permission::ClientsReadOwnUnits) || actor.can(Permission::ClientsReadAll) {
        Ok(())
    } else {
        Err(ApiError::MissingPermission(Permission::ClientsReadOwnUnits))
    }
}

/// Validates a stated reason: trimmed, 5–500 characters.
pub fn reason(value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(value) = value.map(str::trim) else {
        return Ok(None);
    };
    let length = value.chars().count();
    if !(5..=MAX_REASON).contains(&length) {
        return Err(ApiError::invalid_field(
            "access_reason",
            "length",
            format!("State the reason in 5–{MAX_REASON} characters."),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The stated reason of a read of records that have nothing masked: `reveal` is refused
/// (422) rather than ignored.
pub fn read_reason(params: &ReadParams) -> Result<Option<String>, ApiError> {
    if params.reveal.is_some() {
        return Err(ApiError::invalid_field(
            "reveal",
            "unknown_field",
            "These records have nothing to reveal.",
        ));
    }
    reason(params.access_reason.as_deref())
}

/// Whether `actor` may read a client of `unit_id`, and how the read is logged.
pub fn read(actor: &Actor, unit_id: UnitId, reason: Option<String>) -> Result<ReadAccess, ApiError> {
    require_read(actor)?;
    let is_user = matches!(actor.principal, Principal::User { .. });
    let own = actor.unit_ids.contains(&unit_id);
    if own || !is_user {
        return Ok(ReadAccess {
            unit_id,
            outside_units: false,
            reason,
        });
    }
    if actor.can(Permission::ClientsReadAll) || reason.is_some() {
        return Ok(ReadAccess {
            unit_id,
            outside_units: true,
            reason,
        });
    }
    Err(ApiError::ReasonRequired)
}

/// 403 unless the actor may write clients at all.
pub fn require_write(actor: &Actor) -> Result<(), ApiError> {
    if actor.can(Permission::ClientsWriteOwnUnits) || actor.can(Permission::ClientsWriteAll) {
        Ok(())
    } else {
        Err(ApiError::MissingPermission(Permission::ClientsWriteOwnUnits))
    }
}

/// 403 unless `actor` may write a client of `unit_id`.
pub fn write(actor: &Actor, unit_id: UnitId) -> Result<(), ApiError> {
    if actor.can(Permission::ClientsWriteAll)
        || (actor.can(Permission::ClientsWriteOwnUnits) && actor.unit_ids.contains(&unit_id))
    {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// 403 unless `actor` may mark the attendance of a client of `unit_id`: whoever may write
/// the client, and API clients with `attendance:write` (a time clock, for instance).
pub fn write_attendance(actor: &Actor, unit_id: UnitId) -> Result<(), ApiError> {
    if actor.can(Permission::AttendanceWrite) {
        Ok(())
    } else {
        write(actor, unit_id)
    }
}

/// The units whose clients a list shows the actor (`None`: all of them).
pub fn listable_units(actor: &Actor) -> Result<Option<Vec<UnitId>>, ApiError> {
    require_read(actor)?;
    if actor.can(Permission::ClientsReadAll) {
        Ok(None)
    } else {
        Ok(Some(actor.unit_ids.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::{Role, permissions_of_roles};
    use uuid::Uuid;

    fn user(roles: &[Role], units: Vec<UnitId>) -> Actor {
        Actor {
            organisation_id: Uuid::now_v7(),
            principal: Principal::User {
                id: Uuid::now_v7(),
                session_id: Uuid::now_v7(),
            },
            roles: roles.to_vec(),
            scopes: Vec::new(),
            unit_ids: units,
            permissions: permissions_of_roles(roles),
        }
    }

    #[test]
    fn a_coach_opens_another_units_client_only_with_a_reason() {
        let (own, other) = (UnitId::new(), UnitId::new());
        let coach = user(&[Role::Coach], vec![own]);
        assert_eq!(
            read(&coach, own, None).ok(),
            Some(ReadAccess {
                unit_id: own,
                outside_units: false,
                reason: None
            })
        );
        assert!(matches!(read(&coach, other, None), Err(ApiError::ReasonRequired)));
        let access = read(&coach, other, Some("Sijaisuus".to_owned())).ok();
        assert_eq!(access.map(|a| a.outside_units), Some(true));
        assert!(write(&coach, other).is_err());
        assert!(write(&coach, own).is_ok());
    }

    #[test]
    fn a_managers_read_outside_their_units_is_flagged_without_a_reason() {
        let manager = user(&[Role::Manager], vec![UnitId::new()]);
        let access = read(&manager, UnitId::new(), None).ok();
        assert_eq!(access.map(|a| a.outside_units), Some(true));
        assert_eq!(listable_units(&manager).ok(), Some(None));
    }

    #[test]
    fn admins_and_dpos_read_no_clients() {
        for role in [Role::Admin, Role::Dpo, Role::Sensitive] {
            let actor = user(&[role], vec![]);
            assert!(matches!(
                read(&actor, UnitId::new(), Some("x".repeat(10))),
                Err(ApiError::MissingPermission(Permission::ClientsReadOwnUnits))
            ));
        }
    }

    #[test]
    fn reasons_are_trimmed_and_bounded() {
        assert_eq!(
            reason(Some("  Sijaisuus  ")).ok(),
            Some(Some("Sijaisuus".to_owned()))
        );
        assert!(reason(Some("abc")).is_err());
        assert!(reason(Some(&"x".repeat(501))).is_err());
        assert_eq!(reason(None).ok(), Some(None));
    }
}
