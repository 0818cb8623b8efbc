//! Finding a client by identity code. An exact match on the code tells whoever searches
//! whether a code belongs to a client, so a lookup is a use of the code (DESIGN §3): it
//! needs `clients_lookup` (staff who may reveal codes; integrators given
//! `clients:lookup`), every lookup is logged with the action `lookup` — hit, miss,
//! refused or throttled — and a principal's misses are throttled, counted from the log
//! itself under a per-principal lock, so the limit holds across instances.

use serde_json::json;
use uuid::Uuid;

use super::routes::RESOURCE;
use crate::audit::{AuditEvent, ClientAction};
use crate::auth::actor::Actor;

/// Misses a principal may have in [`WINDOW_SECONDS`]; the next lookup answers 429.
pub const MISSES_PER_WINDOW: u32 = 10;

/// The throttle's sliding window.
pub const WINDOW_SECONDS: u32 = 15 * 60;

/// How a lookup ended (`details.outcome` of its event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Found clients (named in the event).
    Hit,
    /// Found nobody the principal may see.
    Miss,
    /// Not allowed to look up by identity code.
    Refused,
    /// Too many recent misses.
    Throttled,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Hit => "hit",
            Outcome::Miss => "miss",
            Outcome::Refused => "refused",
            Outcome::Throttled => "throttled",
        }
    }
}

/// The access-log event of a lookup that showed `found`.
pub fn event(actor: &Actor, outcome: Outcome, found: Vec<Uuid>) -> AuditEvent {
    AuditEvent::client(
        actor.organisation_id,
        actor.audit(),
        ClientAction::Lookup,
        RESOURCE,
        found.clone(),
        found,
    )
    .fields(["personal_identity_code"])
    .with(json!({ "outcome": outcome.as_str() }))
}

/// The principal whose lookups are counted together.
pub fn principal(actor: &Actor) -> Uuid {
    let (user, api_client) = actor.audit_ids();
    user.or(api_client).unwrap_or_else(Uuid::nil)
}
