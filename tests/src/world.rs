//! One test world: a fresh server, an organisation with two units, the staff a test needs
//! signed in, and perhaps a client, so that a test starts where its spec does.
//!
//! ```text
//! let w = World::builder("Jaksokunta")
//!     .with(&[Staff::Colleague, Staff::Manager])
//!     .client("Jaksolainen")
//!     .spawn()
//!     .await;
//! let period = w.coach().period(w.client(), &body).await;
//! ```

use std::borrow::Cow;

use polku::permissions::Role;
use serde_json::Value;
use uuid::Uuid;

use crate::TestApp;
use crate::caller::Caller;
use crate::fixtures::{Org, Session, User};

/// The staff a world can have besides its coach, each signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staff {
    /// A second coach of the first unit.
    Colleague,
    /// A coach of the second unit.
    OtherCoach,
    /// A coach of the first unit with the special-category grant.
    SensitiveCoach,
    /// A manager.
    Manager,
    /// The data protection officer.
    Dpo,
}

impl Staff {
    fn roles(self) -> &'static [Role] {
        match self {
            Self::Colleague | Self::OtherCoach => &[Role::Coach],
            Self::SensitiveCoach => &[Role::Coach, Role::Sensitive],
            Self::Manager => &[Role::Manager],
            Self::Dpo => &[Role::Dpo],
        }
    }

    fn unit(self, org: &Org) -> Uuid {
        match self {
            Self::OtherCoach => org.other_unit_id,
            _ => org.unit_id,
        }
    }
}

/// A user of the world's organisation and their session.
struct Member {
    user: User,
    session: Session,
}

/// What [`World::builder`] makes.
#[must_use]
pub struct WorldBuilder {
    organisation: String,
    staff: Vec<Staff>,
    client: Option<String>,
}

impl WorldBuilder {
    /// Signs these in too, besides the coach.
    pub fn with(mut self, staff: &[Staff]) -> Self {
        self.staff.extend_from_slice(staff);
        self
    }

    /// A client of the first unit, created by the coach, with this last name.
    pub fn client(mut self, last_name: &str) -> Self {
        self.client = Some(last_name.to_owned());
        self
    }

    /// Starts the server on a fresh database and makes the world in it.
    pub async fn spawn(self) -> World {
        let app = TestApp::spawn().await;
        let org = app.organisation(&self.organisation).await;
        let coach = member(&app, &org, &[Role::Coach], org.unit_id).await;
        let mut staff = Vec::new();
        for kind in self.staff {
            staff.push((kind, member(&app, &org, kind.roles(), kind.unit(&org)).await));
        }
        let client = match &self.client {
            Some(last_name) => Some(
                app.client(&coach.session.access_token, org.unit_id, last_name)
                    .await,
            ),
            None => None,
        };
        World {
            app,
            org,
            coach,
            staff,
            client,
        }
    }
}

async fn member(app: &TestApp, org: &Org, roles: &[Role], unit: Uuid) -> Member {
    let user = app.user_in_units(org, roles, &[unit]).await;
    let session = app.session(&user).await;
    Member { user, session }
}

/// A running server with an organisation, its staff and perhaps a client.
pub struct World {
    /// The server.
    pub app: TestApp,
    /// The organisation (two units).
    pub org: Org,
    coach: Member,
    staff: Vec<(Staff, Member)>,
    client: Option<Uuid>,
}

impl World {
    /// A world of a new organisation named `organisation` with a coach of its first unit;
    /// more staff and a client on request.
    pub fn builder(organisation: &str) -> WorldBuilder {
        WorldBuilder {
            organisation: organisation.to_owned(),
            staff: Vec::new(),
            client: None,
        }
    }

    fn caller<'a>(&'a self, member: &'a Member) -> Caller<'a> {
        Caller::user(
            &self.app,
            Cow::Borrowed(&member.session.access_token),
            member.user.id,
        )
    }

    fn staff(&self, kind: Staff) -> Caller<'_> {
        let (_, member) = self
            .staff
            .iter()
            .find(|(k, _)| *k == kind)
            .unwrap_or_else(|| panic!("this world has no {kind:?}: ask for one with `with`"));
        self.caller(member)
    }

    /// The coach of the first unit.
    pub fn coach(&self) -> Caller<'_> {
        self.caller(&self.coach)
    }

    /// A second coach of the first unit ([`Staff::Colleague`]).
    pub fn colleague(&self) -> Caller<'_> {
        self.staff(Staff::Colleague)
    }

    /// The coach of the second unit ([`Staff::OtherCoach`]).
    pub fn other_coach(&self) -> Caller<'_> {
        self.staff(Staff::OtherCoach)
    }

    /// The coach with the special-category grant ([`Staff::SensitiveCoach`]).
    pub fn sensitive_coach(&self) -> Caller<'_> {
        self.staff(Staff::SensitiveCoach)
    }

    /// The manager ([`Staff::Manager`]).
    pub fn manager(&self) -> Caller<'_> {
        self.staff(Staff::Manager)
    }

    /// The data protection officer ([`Staff::Dpo`]).
    pub fn dpo(&self) -> Caller<'_> {
        self.staff(Staff::Dpo)
    }

    /// The world's client (see [`WorldBuilder::client`]).
    pub fn client(&self) -> Uuid {
        self.client
            .expect("this world has no client: ask for one with `client`")
    }

    /// A new user of the organisation's first unit with `roles`, signed in.
    pub async fn sign_in(&self, roles: &[Role]) -> Caller<'_> {
        self.app.sign_in(&self.org, roles).await
    }

    /// A new API client of the organisation with `scopes`, with its token.
    pub async fn integrator(&self, scopes: &[&str]) -> Caller<'_> {
        self.app.integrator(&self.org, scopes).await
    }

    /// A new user of the organisation working in `units` with `roles`, signed in.
    pub async fn sign_in_at(&self, roles: &[Role], units: &[Uuid]) -> Caller<'_> {
        self.app.sign_in_at(&self.org, roles, units).await
    }

    /// The disclosures of the world's client in the organisation's log, oldest first.
    pub async fn disclosures(&self) -> Vec<Value> {
        self.app
            .events_where(
                self.org.id,
                &format!(
                    "category = 'disclosure' AND client_ids @> ARRAY['{}'::uuid]",
                    self.client()
                ),
            )
            .await
    }
}
