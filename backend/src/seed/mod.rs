//! Operator actions shared by the command line and `serve --demo`: creating
//! organisations and users outside any HTTP request, and the demo organisation's
//! working day ([`working_day`]).

pub mod working_day;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::FutureExt;
use secrecy::SecretString;
use uuid::Uuid;

use crate::admin::routes::create_user_in;
use crate::admin::store::{self, NewUser};
use crate::audit::{self, AuditActor, AuditEvent, Category};
use crate::auth::password;
use crate::clients::fields::Sealer;
use crate::db;
use crate::email::Email;
use crate::error::ApiError;
use crate::http::RequestMeta;
use crate::permissions::Role;
use crate::tokens::OpaqueToken;

fn operator() -> RequestMeta {
    RequestMeta {
        request_id: None,
        source_address: Some("cli".to_owned()),
        user_agent: Some("polku-cli".to_owned()),
    }
}

async fn in_tenant<T: Send>(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    work: impl for<'r> FnOnce(
        &'r mut AsyncPgConnection,
    ) -> futures_util::future::BoxFuture<'r, Result<T, ApiError>>
    + Send,
) -> anyhow::Result<T> {
    conn.transaction(async move |conn| {
        db::set_organisation(conn, organisation_id).await?;
        work(conn).await
    })
    .await
    .map_err(|error: ApiError| anyhow::anyhow!("{}", error.problem()))
}

/// Creates an organisation; returns its id.
pub async fn create_organisation(
    conn: &mut AsyncPgConnection,
    name: &str,
    is_demo: bool,
) -> anyhow::Result<Uuid> {
    let name = name.trim().to_owned();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 200,
        "The name must be 1–200 characters"
    );
    let id = Uuid::now_v7();
    in_tenant(conn, id, move |conn| {
        async move {
            store::insert_organisation(conn, id, &name, is_demo).await?;
            let event = AuditEvent::new(
                Some(id),
                Category::Admin,
                "organisation_created",
                AuditActor::System,
            );
            audit::record(conn, &operator(), event).await?;
            Ok(id)
        }
        .boxed()
    })
    .await
}

/// Creates a unit; returns its id.
pub async fn create_unit(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    name: &str,
) -> anyhow::Result<Uuid> {
    let name = name.to_owned();
    in_tenant(conn, organisation_id, move |conn| {
        async move {
            Ok(
                store::insert_unit(conn, organisation_id, crate::ids::UnitId::new(), &name)
                    .await?
                    .id,
            )
        }
        .boxed()
    })
    .await
}

/// A user to create from the command line.
#[derive(Debug)]
pub struct CliUser {
    /// Organisation.
    pub organisation_id: Uuid,
    /// Login name.
    pub email: String,
    /// Display name (defaults to the email).
    pub display_name: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Units.
    pub unit_ids: Vec<Uuid>,
    /// Password, or `None` for a one-time password-set link.
    pub password: Option<SecretString>,
}

/// Creates a user; returns the id and, without a password, the one-time token.
pub async fn create_user(
    conn: &mut AsyncPgConnection,
    user: CliUser,
) -> anyhow::Result<(Uuid, Option<OpaqueToken>)> {
    let email = Email::parse(&user.email).context("Not an email address")?;
    let display_name = user.display_name.unwrap_or_else(|| email.as_str().to_owned());
    let password_hash = match user.password {
        Some(password) => {
            use secrecy::ExposeSecret;
            password::check_strength(
                "password",
                password.expose_secret(),
                &[email.as_str(), &display_name],
            )
            .map_err(|error| anyhow::anyhow!("{}", describe(&error)))?;
            Some(
                password::hash(password)
                    .await
                    .map_err(|error| anyhow::anyhow!("{}", error.problem()))?,
            )
        }
        None => None,
    };
    let mut roles: Vec<String> = user.roles.iter().map(|role| role.as_str().to_owned()).collect();
    roles.sort();
    roles.dedup();
    let new = NewUser {
        id: Uuid::now_v7(),
        organisation_id: user.organisation_id,
        email: email.as_str().to_owned(),
        display_name,
        language: "fi".to_owned(),
        roles,
        unit_ids: user.unit_ids,
        password_hash,
    };
    let id = new.id;
    let link = in_tenant(conn, user.organisation_id, move |conn| {
        async move {
            crate::auth::store::organisation(conn, new.organisation_id).await?;
            let (_, link) = create_user_in(conn, &operator(), AuditActor::System, new).await?;
            Ok(link.map(|(token, _)| token))
        }
        .boxed()
    })
    .await
    .map_err(|error| {
        if error.to_string().starts_with("404") {
            anyhow::anyhow!("No organisation with that id")
        } else {
            error
        }
    })?;
    Ok((id, link))
}

fn describe(error: &ApiError) -> String {
    let problem = error.problem();
    let fields: Vec<String> = problem
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    if fields.is_empty() {
        problem.detail
    } else {
        fields.join("; ")
    }
}

/// Whether the database has any login yet (a fresh installation).
pub async fn is_empty(conn: &mut AsyncPgConnection) -> anyhow::Result<bool> {
    Ok(!store::any_login(conn).await?)
}

/// Creates the demo organisation — two units, one user per role (and a second coach) and
/// a working day's clients and records (see [`working_day`]) — and writes the logins to
/// `path` (mode 0600). `sealer` holds the instance's keys: the demo is encrypted exactly
/// as the API would encrypt it. Returns the text written and what was made.
pub async fn demo(
    conn: &mut AsyncPgConnection,
    path: &Path,
    sealer: Sealer<'_>,
    today: NaiveDate,
) -> anyhow::Result<(String, working_day::Summary)> {
    let organisation_id = create_organisation(conn, "Demokunta (DEMO)", true).await?;
    let employment = create_unit(conn, organisation_id, "Työllisyyspalvelut").await?;
    let integration = create_unit(conn, organisation_id, "Kotoutumispalvelut").await?;
    let mut text = String::from(
        "DEMO DATA — not for real clients. Logins of the demo organisation \"Demokunta (DEMO)\":\n",
    );
    let people: [(&str, &str, Vec<Role>, Vec<Uuid>); 5] = [
        ("admin", "Demo Pääkäyttäjä", vec![Role::Admin], vec![]),
        (
            "coach",
            "Demo Ohjaaja",
            vec![Role::Coach, Role::Sensitive],
            vec![employment],
        ),
        (
            "kotoutus",
            "Demo Kotoutumisohjaaja",
            vec![Role::Coach],
            vec![integration],
        ),
        (
            "manager",
            "Demo Vastuuhenkilö",
            vec![Role::Manager],
            vec![employment, integration],
        ),
        ("dpo", "Demo Tietosuojavastaava", vec![Role::Dpo], vec![]),
    ];
    let mut ids = Vec::new();
    for (login, name, roles, unit_ids) in people {
        let password = format!("demo-{}", crate::tokens::random_secret(12).context("random")?);
        let email = format!("{login}@demo.polku.fi");
        let (id, _) = create_user(
            conn,
            CliUser {
                organisation_id,
                email: email.clone(),
                display_name: Some(name.to_owned()),
                roles,
                unit_ids,
                password: Some(SecretString::from(password.clone())),
            },
        )
        .await?;
        ids.push(id);
        text.push_str(&format!("  {email:<34} {password}\n"));
    }
    let staff = working_day::Staff {
        organisation_id,
        employment,
        integration,
        coach: ids[1],
        integration_coach: ids[2],
        manager: ids[3],
    };
    let summary = demo_records(conn, staff, sealer, today).await?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Failed to write {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok((text, summary))
}

/// The demo's clients and records for `staff`, written in one transaction.
pub async fn demo_records(
    conn: &mut AsyncPgConnection,
    staff: working_day::Staff,
    sealer: Sealer<'_>,
    today: NaiveDate,
) -> anyhow::Result<working_day::Summary> {
    use crate::periods::store::catalogue;
    let organisation_id = staff.organisation_id;
    let catalogue = in_tenant(conn, organisation_id, |conn| {
        async move {
            Ok(working_day::Catalogue {
                instruments: catalogue::instruments(conn).await?,
                criteria: catalogue::all_criteria(conn).await?,
            })
        }
        .boxed()
    })
    .await?;
    let plan = working_day::plan(staff, &catalogue, sealer, today)
        .map_err(|error| anyhow::anyhow!("{}", error.problem()))?;
    in_tenant(conn, organisation_id, move |conn| {
        working_day::write(conn, plan).boxed()
    })
    .await
}
