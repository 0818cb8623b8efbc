//! The rectification history (tiedon korjaaminen): its one writer. Every change of a
//! client's data — the client, background history, periods, goals, diary entries,
//! attendance — records who changed which fields, the previous values (the secret ones
//! encrypted) and why, in the same transaction as the change. `Update` is the step the
//! correcting handlers share: the history, the write and the access-log event.

mod store;

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::crypto::{Cipher, Place};
use crate::error::ApiError;
use crate::http::RequestMeta;
use crate::ids::ClientId;

/// Encryption context of previous values in the rectification history.
pub const PREVIOUS: &[u8] = b"client_changes.previous";

/// What changed in one record.
#[derive(Debug, Default, Clone)]
pub struct Change {
    /// Fields that change.
    pub fields: Vec<&'static str>,
    /// Previous plain values.
    pub previous: Map<String, Value>,
    /// Previous values of encrypted fields.
    pub previous_secret: Map<String, Value>,
    /// A special-category field changes (shown only with the sensitive grant).
    pub sensitive: bool,
    /// Why the data is corrected.
    pub reason: Option<String>,
}

impl Change {
    /// A change of plain `fields` from their `previous` values.
    pub fn plain(fields: Vec<&'static str>, previous: Map<String, Value>, reason: Option<String>) -> Self {
        Self {
            fields,
            previous,
            reason,
            ..Self::default()
        }
    }

    /// Notes that `field` changes from `old`.
    pub fn push(&mut self, field: &'static str, old: Value) {
        self.fields.push(field);
        self.previous.insert(field.to_owned(), old);
    }

    /// Notes that the encrypted `field` changes from `old` (kept encrypted).
    pub fn push_secret(&mut self, field: &'static str, old: Value) {
        self.fields.push(field);
        self.previous_secret.insert(field.to_owned(), old);
    }
}

/// One audited update with change history: a change of one record of a client goes to
/// the rectification history, the record is written (its version bumped), and the access
/// log gets an `update` of the record naming the changed fields — the three in this
/// order, in the caller's transaction.
#[derive(Debug, Clone)]
pub struct Update<'a> {
    client: ClientId,
    record: (&'static str, Uuid),
    change: &'a Change,
    history: bool,
    details: Option<Value>,
}

impl<'a> Update<'a> {
    /// An update of `record_type` record `record_id` of `client` (the record type is also
    /// the access log's resource type).
    pub fn new(client: ClientId, record: (&'static str, Uuid), change: &'a Change) -> Self {
        Self {
            client,
            record,
            change,
            history: true,
            details: None,
        }
    }

    /// Whether the previous values go to the rectification history (`false` for an edit
    /// that is not a correction, such as a diary entry's author within the edit window).
    pub fn history(mut self, history: bool) -> Self {
        self.history = history;
        self
    }

    /// Details of the access-log event.
    pub fn with(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Records the history, runs `write` (the store's update, which bumps the version)
    /// and logs the event; returns what `write` returns.
    pub async fn write<R>(
        self,
        conn: &mut AsyncPgConnection,
        meta: &RequestMeta,
        cipher: &Cipher,
        actor: &Actor,
        write: impl AsyncFnOnce(&mut AsyncPgConnection) -> QueryResult<R>,
    ) -> Result<R, ApiError> {
        if self.history {
            record(conn, cipher, actor, self.client, self.record, self.change).await?;
        }
        let row = write(conn).await?;
        let (record_type, record_id) = self.record;
        let mut event = AuditEvent::client(
            actor.organisation_id,
            actor.audit(),
            ClientAction::Update,
            record_type,
            vec![self.client],
            vec![record_id],
        )
        .fields(self.change.fields.iter().copied());
        if let Some(details) = self.details {
            event = event.with(details);
        }
        audit::record(conn, meta, event).await?;
        Ok(row)
    }
}

/// One record's change: the client it belongs to, the record (type and id) and what
/// changed.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The client whose data changes.
    pub client: ClientId,
    /// `client`, `history_entry`, `period`, `goal`, `diary_entry`, `attendance`.
    pub record_type: &'static str,
    /// The record changed.
    pub record_id: Uuid,
    /// What changed.
    pub change: &'a Change,
}

/// Records a change of `record_type` record `record_id` of `client`.
pub async fn record(
    conn: &mut AsyncPgConnection,
    cipher: &Cipher,
    actor: &Actor,
    client: ClientId,
    (record_type, record_id): (&'static str, Uuid),
    change: &Change,
) -> Result<(), ApiError> {
    record_all(
        conn,
        cipher,
        actor,
        &[Entry {
            client,
            record_type,
            record_id,
            change,
        }],
    )
    .await
}

/// Records the changes of several records in one statement (a day sheet's corrections).
pub async fn record_all(
    conn: &mut AsyncPgConnection,
    cipher: &Cipher,
    actor: &Actor,
    entries: &[Entry<'_>],
) -> Result<(), ApiError> {
    if entries.is_empty() {
        return Ok(());
    }
    let (user, api_client) = actor.audit_ids();
    let rows = entries
        .iter()
        .map(|entry| {
            let change = entry.change;
            let id = Uuid::now_v7();
            let previous_encrypted = if change.previous_secret.is_empty() {
                None
            } else {
                let secret = Value::Object(change.previous_secret.clone()).to_string();
                let place = Place::new(PREVIOUS, actor.organisation_id, id);
                Some(cipher.encrypt_str(&secret, place)?)
            };
            Ok(store::NewChange {
                id,
                organisation_id: actor.organisation_id,
                client_id: entry.client,
                record_type: entry.record_type,
                record_id: entry.record_id,
                sensitive: change.sensitive,
                changed_by_user_id: user,
                changed_by_api_client_id: api_client,
                fields: change.fields.iter().map(|field| (*field).to_owned()).collect(),
                previous: Value::Object(change.previous.clone()),
                previous_encrypted,
                reason: change.reason.clone(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    store::insert_changes(conn, &rows).await?;
    Ok(())
}
