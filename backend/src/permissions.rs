//! Roles, permissions and API scopes: the one table of who may do what.
//!
//! Handlers ask for a permission by name (`actor.require(Permission::UsersManage)?`);
//! nobody checks a role directly. Roles follow job descriptions (DESIGN §3); API clients
//! get permissions through their scopes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A role a user holds in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Pääkäyttäjä: users, roles, units, API clients, settings; no client content.
    Admin,
    /// Ohjaaja/valmentaja: clients and periods of their own units.
    Coach,
    /// Vastuuhenkilö: all clients of the organisation, statistics, retention decisions.
    Manager,
    /// Tietosuojavastaava: logs, access requests, retention queue; reads, never edits.
    Dpo,
    /// Grant for special-category history (health, substance use).
    Sensitive,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Coach,
        Role::Manager,
        Role::Dpo,
        Role::Sensitive,
    ];

    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coach => "coach",
            Role::Manager => "manager",
            Role::Dpo => "dpo",
            Role::Sensitive => "sensitive",
        }
    }

    /// Parses a stored role name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether the role reaches client content (DESIGN §3 "Insiders"): granting it needs
    /// [`Permission::ClientAccessGrant`], which the admin does not have.
    pub fn reaches_client_content(self) -> bool {
        matches!(self, Role::Manager | Role::Dpo | Role::Sensitive)
    }

    /// What the role allows.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &[
                UsersManage,
                UnitsManage,
                OrganisationManage,
                ApiClientsManage,
                UnitsRead,
            ],
            Role::Coach => &[
                UnitsRead,
                ClientsReadOwnUnits,
                ClientsWriteOwnUnits,
                ClientsReveal,
                ClientsLookup,
            ],
            Role::Manager => &[
                UnitsRead,
                ClientsReadOwnUnits,
                ClientsReadAll,
                ClientsWriteOwnUnits,
                ClientsWriteAll,
                ClientsReveal,
                ClientsLookup,
                ClientChangesRead,
                DisclosuresStatutory,
                StatisticsRead,
                RetentionDecide,
                AllowancesRead,
                ClientAccessGrant,
            ],
            Role::Dpo => &[
                UnitsRead,
                AuditRead,
                AccessRequestsManage,
                RetentionRead,
                ClientChangesRead,
            ],
            Role::Sensitive => &[SensitiveHistory],
        }
    }
}

/// Something an actor may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create, change and deactivate user accounts.
    UsersManage,
    /// Create, rename and close units.
    UnitsManage,
    /// List the organisation's units.
    UnitsRead,
    /// Change organisation settings (2FA requirement, session lengths, lockout).
    OrganisationManage,
    /// Create, rotate and revoke API clients.
    ApiClientsManage,
    /// Read clients of one's own units.
    ClientsReadOwnUnits,
    /// Read every client of the organisation.
    ClientsReadAll,
    /// Write clients of one's own units.
    ClientsWriteOwnUnits,
    /// Write every client of the organisation.
    ClientsWriteAll,
    /// See a client's whole identity code and bank account (each reveal is logged).
    ClientsReveal,
    /// Find a client by their identity code (an exact-match search is a use of the code:
    /// staff who may reveal it, and integrators given `clients:lookup`). Every lookup is
    /// logged, hit or miss, and a burst of misses is throttled.
    ClientsLookup,
    /// Read the rectification history of a client (previous values of changed fields).
    ClientChangesRead,
    /// Read and write health and substance-use history and other special-category data.
    SensitiveHistory,
    /// Disclose client data on a statutory basis (a law that requires the disclosure),
    /// without the client's consent.
    DisclosuresStatutory,
    /// Read statistics.
    StatisticsRead,
    /// Approve destruction lists.
    RetentionDecide,
    /// Read the retention queue.
    RetentionRead,
    /// Read the access and disclosure logs.
    AuditRead,
    /// Handle data subject requests.
    AccessRequestsManage,
    /// Write attendance (API clients).
    AttendanceWrite,
    /// Produce the monthly allowance report (payroll).
    AllowancesRead,
    /// Grant roles that reach client content (manager, dpo, sensitive) to other users,
    /// and create API clients with client scopes (or rotate their secrets): a manager's
    /// decision, never the admin's alone.
    ClientAccessGrant,
}

/// An OAuth2 scope an API client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Scope {
    /// Read clients of the organisation.
    #[serde(rename = "clients:read")]
    ClientsRead,
    /// Write attendance.
    #[serde(rename = "attendance:write")]
    AttendanceWrite,
    /// Read statistics.
    #[serde(rename = "statistics:read")]
    StatisticsRead,
    /// List units.
    #[serde(rename = "units:read")]
    UnitsRead,
    /// Receive the monthly allowance report (payroll); each report is logged as a
    /// disclosure on the legal basis the integrator names.
    #[serde(rename = "allowances:read")]
    AllowancesRead,
    /// Find clients by their identity code (with `clients:read`); each lookup is logged,
    /// hit or miss, and a burst of misses is throttled.
    #[serde(rename = "clients:lookup")]
    ClientsLookup,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 6] = [
        Scope::ClientsRead,
        Scope::AttendanceWrite,
        Scope::StatisticsRead,
        Scope::UnitsRead,
        Scope::AllowancesRead,
        Scope::ClientsLookup,
    ];

    /// The scope's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ClientsRead => "clients:read",
            Scope::AttendanceWrite => "attendance:write",
            Scope::StatisticsRead => "statistics:read",
            Scope::UnitsRead => "units:read",
            Scope::AllowancesRead => "allowances:read",
            Scope::ClientsLookup => "clients:lookup",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == name)
    }

    /// Whether the scope reads or writes clients' data (names, identity-code lookups,
    /// attendance, allowances):
    /// an API client with it is created by someone with [`Permission::ClientAccessGrant`].
    pub fn reaches_client_content(self) -> bool {
        matches!(
            self,
            Scope::ClientsRead | Scope::ClientsLookup | Scope::AttendanceWrite | Scope::AllowancesRead
        )
    }

    /// What the scope allows.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Scope::ClientsRead => &[ClientsReadOwnUnits, ClientsReadAll],
            Scope::AttendanceWrite => &[AttendanceWrite],
            Scope::StatisticsRead => &[StatisticsRead],
            Scope::UnitsRead => &[UnitsRead],
            Scope::AllowancesRead => &[AllowancesRead, DisclosuresStatutory],
            Scope::ClientsLookup => &[ClientsLookup],
        }
    }
}

/// The union of the permissions of some roles.
pub fn permissions_of_roles(roles: &[Role]) -> Vec<Permission> {
    collect(roles.iter().flat_map(|role| role.permissions()))
}

/// The union of the permissions of some scopes.
pub fn permissions_of_scopes(scopes: &[Scope]) -> Vec<Permission> {
    collect(scopes.iter().flat_map(|scope| scope.permissions()))
}

fn collect<'a>(permissions: impl Iterator<Item = &'a Permission>) -> Vec<Permission> {
    let mut all: Vec<Permission> = permissions.copied().collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_has_no_client_content() {
        let admin = permissions_of_roles(&[Role::Admin]);
        assert!(admin.contains(&Permission::UsersManage));
        for denied in [
            Permission::ClientsReadOwnUnits,
            Permission::ClientsReadAll,
            Permission::SensitiveHistory,
            Permission::ClientAccessGrant,
        ] {
            assert!(!admin.contains(&denied), "{denied:?}");
        }
    }

    #[test]
    fn every_role_and_scope_that_reaches_client_content_is_marked_so() {
        let content = [
            Permission::ClientsReadOwnUnits,
            Permission::ClientsReadAll,
            Permission::ClientsWriteOwnUnits,
            Permission::ClientsWriteAll,
            Permission::SensitiveHistory,
            Permission::AuditRead,
            Permission::AttendanceWrite,
            Permission::AllowancesRead,
            Permission::ClientsLookup,
        ];
        for role in Role::ALL {
            let reaches = role.permissions().iter().any(|p| content.contains(p));
            // The coach reaches the clients of their units, which the admin assigns.
            if role != Role::Coach {
                assert_eq!(role.reaches_client_content(), reaches, "{role:?}");
            }
        }
        for scope in Scope::ALL {
            let reaches = scope.permissions().iter().any(|p| content.contains(p));
            assert_eq!(scope.reaches_client_content(), reaches, "{scope:?}");
        }
    }

    #[test]
    fn dpo_reads_logs_but_edits_nothing() {
        let dpo = permissions_of_roles(&[Role::Dpo]);
        assert!(dpo.contains(&Permission::AuditRead));
        assert!(!dpo.iter().any(|p| matches!(
            p,
            Permission::ClientsWriteAll | Permission::ClientsWriteOwnUnits | Permission::UsersManage
        )));
    }

    #[test]
    fn sensitive_history_needs_the_separate_grant() {
        for role in [Role::Admin, Role::Coach, Role::Manager, Role::Dpo] {
            assert!(
                !role.permissions().contains(&Permission::SensitiveHistory),
                "{role:?}"
            );
        }
        assert!(
            permissions_of_roles(&[Role::Coach, Role::Sensitive]).contains(&Permission::SensitiveHistory)
        );
    }

    #[test]
    fn identity_code_lookup_comes_with_reveal_for_staff_and_only_explicitly_for_integrators() {
        for role in Role::ALL {
            let permissions = role.permissions();
            if permissions.contains(&Permission::ClientsLookup) {
                assert!(permissions.contains(&Permission::ClientsReveal), "{role:?}");
            }
        }
        for scope in Scope::ALL {
            let lookup = scope.permissions().contains(&Permission::ClientsLookup);
            assert_eq!(lookup, scope == Scope::ClientsLookup, "{scope:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).ok(),
                Some(serde_json::json!(role.as_str()))
            );
        }
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            assert_eq!(
                serde_json::to_value(scope).ok(),
                Some(serde_json::json!(scope.as_str()))
            );
        }
    }
}
