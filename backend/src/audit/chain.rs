//! Tamper evidence: each organisation's events form a keyed hash chain.
//!
//! Requests only insert events; they never wait for a chain lock. A background sealer
//! computes, for an organisation's next events, each event's hash
//! `HMAC-SHA256(key, previous hash ‖ event content)` with a key the database never sees,
//! and hands ids and hashes to `polku_audit_seal()`, a `SECURITY DEFINER` function owned
//! by the `polku_sealer` role: its fixed body checks that they are exactly the next
//! events of transactions older than every running transaction (so a late commit is
//! never skipped, and the runtime role cannot skip, reorder or invent any), splits them
//! by month and stores the seals. The runtime role cannot write seals otherwise. After
//! sealing, each organisation's new chain head is exported outside the database
//! ([`HeadExport`]: an append-only file, and a command). `polku audit verify` recomputes
//! the chain with the key, insists it starts at seal 1 or at a keyed retention seal, and,
//! given the exported heads, that every one of them is still there.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Bytea, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::FutureExt;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::schema::{audit_events, audit_retention_seals, audit_seals};

/// Hash a chain starts from.
pub const GENESIS: [u8; 32] = [0; 32];

/// Events per seal (and per sealing transaction).
pub const SEAL_BATCH: i64 = 5_000;

/// An event as the chain covers it: every column.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events, check_for_backend(diesel::pg::Pg))]
pub struct ChainEvent {
    /// Event id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Option<Uuid>,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Inserting transaction.
    pub txid: i64,
    /// Category.
    pub category: String,
    /// Action.
    pub action: String,
    /// Acting user.
    pub actor_user_id: Option<Uuid>,
    /// Acting API client.
    pub actor_api_client_id: Option<Uuid>,
    /// User the event is about.
    pub subject_user_id: Option<Uuid>,
    /// Other object the event is about.
    pub subject_id: Option<Uuid>,
    /// Clients processed.
    pub client_ids: Vec<Uuid>,
    /// Kind of record.
    pub resource_type: Option<String>,
    /// Records.
    pub resource_ids: Vec<Uuid>,
    /// Field names.
    pub fields: Vec<String>,
    /// Stated reason.
    pub reason: Option<String>,
    /// Disclosure recipient.
    pub recipient: Option<String>,
    /// Disclosure legal basis.
    pub legal_basis: Option<String>,
    /// Disclosure consent.
    pub consent_id: Option<Uuid>,
    /// Disclosed categories.
    pub data_categories: Vec<String>,
    /// Extra facts.
    pub details: serde_json::Value,
    /// Request id.
    pub request_id: Option<String>,
    /// Source address.
    pub source_address: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
}

/// The key of the chain (HMAC-SHA256); kept outside the database like the other keys.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(..)")
    }
}

impl SealKey {
    /// A chain key.
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!())
    }
}

/// What a hash is computed with: the keyed chain, or the unkeyed SHA-256 of seals made
/// before the key existed.
enum Hasher {
    Keyed(Hmac<Sha256>),
    Legacy(Sha256),
}

impl Hasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Keyed(mac) => Mac::update(mac, bytes),
            Hasher::Legacy(sha) => Digest::update(sha, bytes),
        }
    }
    fn finish(self) -> [u8; 32] {
        match self {
            Hasher::Keyed(mac) => mac.finalize().into_bytes().into(),
            Hasher::Legacy(sha) => sha.finalize().into(),
        }
    }
}

/// Feeds length-prefixed fields to a hasher, so no two different events encode alike.
struct Encoder(Hasher);

impl Encoder {
    fn raw(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn bytes(&mut self, bytes: Option<&[u8]>) {
        match bytes {
            None => self.raw(&u64::MAX.to_be_bytes()),
            Some(bytes) => {
                self.raw(&(bytes.len() as u64).to_be_bytes());
                self.raw(bytes);
            }
        }
    }
    fn text(&mut self, text: Option<&str>) {
        self.bytes(text.map(str::as_bytes));
    }
    fn uuid(&mut self, id: Option<Uuid>) {
        self.bytes(id.as_ref().map(|id| id.as_bytes().as_slice()));
    }
    fn uuids(&mut self, ids: &[Uuid]) {
        self.raw(&(ids.len() as u64).to_be_bytes());
        for id in ids {
            self.uuid(Some(*id));
        }
    }
    fn texts(&mut self, texts: &[String]) {
        self.raw(&(texts.len() as u64).to_be_bytes());
        for text in texts {
            self.text(Some(text));
        }
    }
}

/// `HMAC-SHA256(key, prev ‖ content of event)`: the hash of an event in the chain.
pub fn event_hash(key: &SealKey, prev: &[u8; 32], event: &ChainEvent) -> [u8; 32] {
    let mut e = Encoder(Hasher::Keyed(key.mac()));
    e.raw(b"polku-audit-v2");
    encode_event(&mut e, prev, event);
    e.0.finish()
}

/// `sha256(prev ‖ content of event)`: seals made before the chain was keyed.
fn legacy_event_hash(prev: &[u8; 32], event: &ChainEvent) -> [u8; 32] {
    let mut e = Encoder(Hasher::Legacy(Sha256::new()));
    e.raw(b"polku-audit-v1");
    encode_event(&mut e, prev, event);
    e.0.finish()
}

fn encode_event(e: &mut Encoder, prev: &[u8; 32], event: &ChainEvent) {
    e.raw(prev);
    e.uuid(Some(event.id));
    e.uuid(event.organisation_id);
    e.raw(&event.occurred_at.timestamp_micros().to_be_bytes());
    e.raw(&event.txid.to_be_bytes());
    e.text(Some(&event.category));
    e.text(Some(&event.action));
    e.uuid(event.actor_user_id);
    e.uuid(event.actor_api_client_id);
    e.uuid(event.subject_user_id);
    e.uuid(event.subject_id);
    e.uuids(&event.client_ids);
    e.text(event.resource_type.as_deref());
    e.uuids(&event.resource_ids);
    e.texts(&event.fields);
    e.text(event.reason.as_deref());
    e.text(event.recipient.as_deref());
    e.text(event.legal_basis.as_deref());
    e.uuid(event.consent_id);
    e.texts(&event.data_categories);
    // serde_json's maps are ordered by key, so equal documents encode alike.
    let details = serde_json::to_vec(&event.details).unwrap_or_default();
    e.bytes(Some(&details));
    e.text(event.request_id.as_deref());
    e.text(event.source_address.as_deref());
    e.text(event.user_agent.as_deref());
}

/// The keyed MAC of a retention seal: where the chain of `organisation` resumes after the
/// months before `dropped_before` were dropped.
pub fn retention_mac(key: &SealKey, head: &RetentionHead, dropped_before: NaiveDate) -> [u8; 32] {
    let mut e = Encoder(Hasher::Keyed(key.mac()));
    e.raw(b"polku-audit-retention-v1");
    e.uuid(Some(head.organisation_id));
    e.raw(&head.seq.to_be_bytes());
    e.bytes(Some(&head.last_hash));
    e.raw(&head.cursor_txid.to_be_bytes());
    e.uuid(Some(head.cursor_id));
    e.text(Some(&dropped_before.format("%Y-%m-%d").to_string()));
    e.0.finish()
}

/// The last seal of an organisation in the months retention is about to drop.
#[derive(Debug, Clone, QueryableByName)]
pub struct RetentionHead {
    /// The organisation.
    #[diesel(sql_type = SqlUuid)]
    pub organisation_id: Uuid,
    /// The last seal dropped.
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    /// Its last event's hash.
    #[diesel(sql_type = Bytea)]
    pub last_hash: Vec<u8>,
    /// Its last event.
    #[diesel(sql_type = BigInt)]
    pub cursor_txid: i64,
    /// Its last event.
    #[diesel(sql_type = SqlUuid)]
    pub cursor_id: Uuid,
}

/// First day of the month of `at` (UTC): the partition an event lives in.
pub fn period_of(at: DateTime<Utc>) -> NaiveDate {
    NaiveDate::from_ymd_opt(at.year(), at.month(), 1).unwrap_or(NaiveDate::MIN)
}

fn next_month(month: NaiveDate) -> NaiveDate {
    month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX)
}

/// The head of a chain: the latest seal (or retention seal), its last hash and cursor.
#[derive(Debug, Clone, QueryableByName)]
struct ChainHead {
    #[diesel(sql_type = Bytea)]
    last_hash: Vec<u8>,
    #[diesel(sql_type = BigInt)]
    cursor_txid: i64,
    #[diesel(sql_type = SqlUuid)]
    cursor_id: Uuid,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

#[derive(QueryableByName)]
struct Horizon {
    #[diesel(sql_type = BigInt)]
    xmin: i64,
}

#[derive(QueryableByName)]
struct Seq {
    #[diesel(sql_type = BigInt)]
    seq: i64,
}

#[derive(QueryableByName)]
struct OrganisationId {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Every organisation's id, through `polku_audit_organisations()` (a function owned by
/// the sealer role; the runtime role sees no other organisation's row).
pub async fn organisation_ids(pool: &DbPool) -> Result<Vec<Uuid>, ApiError> {
    db::transaction(pool, None, |conn| {
        async move {
            let rows: Vec<OrganisationId> = diesel::sql_query("SELECT polku_audit_organisations() AS id")
                .load(conn)
                .await?;
            Ok(rows.into_iter().map(|row| row.id).collect())
        }
        .boxed()
    })
    .await
}

/// An organisation's chain head as exported outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ExportedHead {
    /// The organisation.
    pub organisation_id: Uuid,
    /// The head seal.
    pub seq: i64,
    /// Its last event's hash (hex).
    pub hash: String,
    /// When it was exported.
    pub exported_at: DateTime<Utc>,
}

/// Where the sealer exports new chain heads, outside the database.
#[derive(Debug, Clone, Default)]
pub struct HeadExport {
    /// Append-only file (one JSON object a line).
    pub file: Option<std::path::PathBuf>,
    /// Shell command that receives the same lines on stdin.
    pub command: Option<String>,
}

impl HeadExport {
    /// Export to `path` only.
    pub fn file(path: &std::path::Path) -> Self {
        Self {
            file: Some(path.to_owned()),
            command: None,
        }
    }

    /// Writes `heads` to the file and the command.
    pub async fn export(&self, heads: &[ExportedHead]) -> anyhow::Result<()> {
        use anyhow::Context;
        use tokio::io::AsyncWriteExt;
        if heads.is_empty() {
            return Ok(());
        }
        if let Some(path) = &self.file {
            append_heads(path, heads)?;
        }
        if let Some(command) = &self.command {
            let mut lines = String::new();
            for head in heads {
                lines.push_str(&serde_json::to_string(head)?);
                lines.push('\n');
            }
            let mut child = tokio::process::Command::new("sh")
                .arg("-c")
                .arg(command)
                .stdin(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .context("Failed to start POLKU_AUDIT_HEAD_COMMAND")?;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(lines.as_bytes()).await?;
            }
            let status = child.wait().await?;
            anyhow::ensure!(status.success(), "POLKU_AUDIT_HEAD_COMMAND failed: {status}");
        }
        Ok(())
    }
}

/// Seals every organisation's pending events and exports the new heads outside the
/// database. Returns how many events were sealed.
pub async fn seal_all(pool: &DbPool, key: &SealKey, export: &HeadExport) -> Result<u64, ApiError> {
    let mut sealed = 0;
    let mut moved = Vec::new();
    for organisation in organisation_ids(pool).await? {
        let (count, head) = seal_organisation(pool, key, organisation).await?;
        sealed += count;
        moved.extend(head);
    }
    export.export(&moved).await.map_err(ApiError::Internal)?;
    Ok(sealed)
}

/// Appends chain heads to the file at `path` (created 0600), one JSON object a line.
pub fn append_heads(path: &std::path::Path, heads: &[ExportedHead]) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if heads.is_empty() {
        return Ok(());
    }
    let mut text = String::new();
    for head in heads {
        text.push_str(&serde_json::to_string(head)?);
        text.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Failed to open {}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .with_context(|| format!("Failed to append to {}", path.display()))
}

/// Reads the heads exported to `path`.
pub fn read_heads(path: &std::path::Path) -> anyhow::Result<Vec<ExportedHead>> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path).with_context(|| format!("Failed to read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{} line {}: not a chain head", path.display(), n + 1))
        })
        .collect()
}

/// Seals one organisation's pending events, a batch per transaction. Another instance
/// sealing the same organisation makes this one step aside. Returns how many events were
/// sealed and, if any, the new head.
pub async fn seal_organisation(
    pool: &DbPool,
    key: &SealKey,
    organisation: Uuid,
) -> Result<(u64, Option<ExportedHead>), ApiError> {
    let mut total = 0;
    let mut head = None;
    loop {
        let key = key.clone();
        let (sealed, moved) = db::transaction(pool, Some(organisation), move |conn| {
            async move { Ok(seal_batch(conn, &key, organisation).await?) }.boxed()
        })
        .await?;
        total += sealed;
        head = moved.or(head);
        if sealed < SEAL_BATCH as u64 {
            return Ok((total, head));
        }
    }
}

async fn seal_batch(
    conn: &mut AsyncPgConnection,
    key: &SealKey,
    organisation: Uuid,
) -> QueryResult<(u64, Option<ExportedHead>)> {
    let locked: Flag =
        diesel::sql_query("SELECT pg_try_advisory_xact_lock(7368024, hashtext($1::text)) AS ok")
            .bind::<SqlUuid, _>(organisation)
            .get_result(conn)
            .await?;
    if !locked.ok {
        return Ok((0, None));
    }
    // Transactions below the horizon have all ended: their events are visible or never
    // will be. (polku_audit_seal applies the same rule and checks the result.)
    let horizon: Horizon = diesel::sql_query("SELECT txid_snapshot_xmin(txid_current_snapshot()) AS xmin")
        .get_result(conn)
        .await?;
    let head: Option<ChainHead> =
        diesel::sql_query("SELECT last_hash, cursor_txid, cursor_id FROM polku_audit_head($1)")
            .bind::<SqlUuid, _>(organisation)
            .get_result(conn)
            .await
            .optional()?;
    let mut query = audit_events::table
        .filter(audit_events::organisation_id.eq(organisation))
        .filter(audit_events::txid.lt(horizon.xmin))
        .order((audit_events::txid, audit_events::id))
        .limit(SEAL_BATCH)
        .select(ChainEvent::as_select())
        .into_boxed();
    let mut prev = GENESIS;
    if let Some(head) = &head {
        prev = hash32(&head.last_hash).unwrap_or(GENESIS);
        // A row comparison, so the index range starts at the cursor.
        query = query.filter(
            diesel::dsl::sql::<Bool>("(audit_events.txid, audit_events.id) > (")
                .bind::<BigInt, _>(head.cursor_txid)
                .sql(", ")
                .bind::<SqlUuid, _>(head.cursor_id)
                .sql(")"),
        );
    }
    let events: Vec<ChainEvent> = query.load(conn).await?;
    if events.is_empty() {
        return Ok((0, None));
    }
    let mut ids = Vec::with_capacity(events.len());
    let mut hashes = Vec::with_capacity(events.len());
    for event in &events {
        prev = event_hash(key, &prev, event);
        ids.push(event.id);
        hashes.push(prev.to_vec());
    }
    let sealed: Seq = diesel::sql_query("SELECT polku_audit_seal($1, $2, $3) AS seq")
        .bind::<SqlUuid, _>(organisation)
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Bytea>, _>(&hashes)
        .get_result(conn)
        .await?;
    Ok((
        events.len() as u64,
        Some(ExportedHead {
            organisation_id: organisation,
            seq: sealed.seq,
            hash: to_hex(prev),
            exported_at: Utc::now(),
        }),
    ))
}

fn to_hex(bytes: impl AsRef<[u8]>) -> String {
    bytes.as_ref().iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hash32(hash: &[u8]) -> Option<[u8; 32]> {
    hash.try_into().ok()
}

/// What `verify` found for one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Seals checked.
    pub seals: u64,
    /// Events checked.
    pub events: u64,
    /// Events not yet sealed (the sealer has not reached them).
    pub unsealed: i64,
    /// Seals made before the chain was keyed (checked with unkeyed SHA-256).
    pub unkeyed_seals: u64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

/// Where the chain breaks, and how.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenLink {
    /// Seal number.
    pub seq: i64,
    /// The event at the break, when one is to blame.
    pub event_id: Option<Uuid>,
    /// What is wrong.
    pub problem: String,
}

#[derive(Debug, Queryable)]
struct SealRow {
    seq: i64,
    period: NaiveDate,
    prev_hash: Vec<u8>,
    event_ids: Vec<Uuid>,
    event_hashes: Vec<Vec<u8>>,
    cursor_txid: i64,
    cursor_id: Uuid,
    keyed: bool,
}

#[derive(Debug, Queryable)]
struct RetentionRow {
    seq: i64,
    last_hash: Vec<u8>,
    cursor_txid: i64,
    cursor_id: Uuid,
    dropped_before: NaiveDate,
    mac: Vec<u8>,
}

/// Recomputes an organisation's chain with `key` from the seals of months from `since` on
/// (all when `None`) and reports the first broken link: an edited event (its hash
/// differs), a removed event or seal, an event slipped in among sealed ones, a chain that
/// starts neither at seal 1 nor at a keyed retention seal, or (given the heads exported
/// outside the database, `against`) a head that is no longer there or differs.
pub async fn verify(
    pool: &DbPool,
    key: &SealKey,
    organisation: Uuid,
    since: Option<NaiveDate>,
    against: Option<&[ExportedHead]>,
) -> Result<Verification, ApiError> {
    let since = since.map(|day| period_of(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    let mut outcome = Verification {
        organisation_id: organisation,
        seals: 0,
        events: 0,
        unsealed: 0,
        unkeyed_seals: 0,
        broken: None,
    };
    let broken = |mut outcome: Verification, seq: i64, event_id: Option<Uuid>, problem: String| {
        outcome.broken = Some(BrokenLink {
            seq,
            event_id,
            problem,
        });
        Ok(outcome)
    };
    // Where the chain legitimately begins: seal 1 from the genesis hash, or just after the
    // latest retention seal (signed with the key).
    let retention: Option<RetentionRow> = db::transaction(pool, Some(organisation), move |conn| {
        async move {
            Ok(audit_retention_seals::table
                .filter(audit_retention_seals::organisation_id.eq(organisation))
                .order(audit_retention_seals::seq.desc())
                .select((
                    audit_retention_seals::seq,
                    audit_retention_seals::last_hash,
                    audit_retention_seals::cursor_txid,
                    audit_retention_seals::cursor_id,
                    audit_retention_seals::dropped_before,
                    audit_retention_seals::mac,
                ))
                .first(conn)
                .await
                .optional()?)
        }
        .boxed()
    })
    .await?;
    let mut start_seq = 1;
    let mut start_hash = GENESIS;
    let mut start_cursor: Option<(i64, Uuid)> = None;
    if let Some(retention) = &retention {
        let head = RetentionHead {
            organisation_id: organisation,
            seq: retention.seq,
            last_hash: retention.last_hash.clone(),
            cursor_txid: retention.cursor_txid,
            cursor_id: retention.cursor_id,
        };
        let expected = retention_mac(key, &head, retention.dropped_before);
        let Some(last_hash) = hash32(&retention.last_hash).filter(|_| retention.mac == expected) else {
            return broken(
                outcome,
                retention.seq,
                None,
                "the retention seal is not signed with the audit key (forged or altered)".to_owned(),
            );
        };
        start_seq = retention.seq + 1;
        start_hash = last_hash;
        start_cursor = Some((retention.cursor_txid, retention.cursor_id));
    }
    let mut after_seq: Option<i64> = None;
    let mut prev: Option<(i64, [u8; 32])> = None;
    let mut cursor: Option<(i64, Uuid)> = None;
    let mut seen_keyed = false;
    // The last hash of every verified seal, to compare with the exported heads.
    let mut last_hashes: std::collections::HashMap<i64, [u8; 32]> = std::collections::HashMap::new();
    loop {
        let step = db::transaction(pool, Some(organisation), move |conn| {
            async move {
                let mut query = audit_seals::table
                    .filter(audit_seals::organisation_id.eq(organisation))
                    .order(audit_seals::seq)
                    .limit(20)
                    .select((
                        audit_seals::seq,
                        audit_seals::period,
                        audit_seals::prev_hash,
                        audit_seals::event_ids,
                        audit_seals::event_hashes,
                        audit_seals::cursor_txid,
                        audit_seals::cursor_id,
                        audit_seals::keyed,
                    ))
                    .into_boxed();
                if let Some(seq) = after_seq {
                    query = query.filter(audit_seals::seq.gt(seq));
                }
                match since {
                    Some(since) => query = query.filter(audit_seals::period.ge(since)),
                    // Seals older than the retention seal sit in kept months only where a
                    // month's boundary interleaved them; the chain resumes after it.
                    None => query = query.filter(audit_seals::seq.ge(start_seq)),
                }
                let seals: Vec<SealRow> = query.load(conn).await?;
                let mut with_events = Vec::with_capacity(seals.len());
                for seal in seals {
                    let start = seal.period.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                    let end = next_month(seal.period)
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .and_utc();
                    let events: Vec<ChainEvent> = audit_events::table
                        .filter(audit_events::id.eq_any(&seal.event_ids))
                        .filter(audit_events::occurred_at.ge(start))
                        .filter(audit_events::occurred_at.lt(end))
                        .select(ChainEvent::as_select())
                        .load(conn)
                        .await?;
                    with_events.push((seal, events));
                }
                Ok(with_events)
            }
            .boxed()
        })
        .await?;
        if step.is_empty() {
            break;
        }
        for (seal, events) in step {
            after_seq = Some(seal.seq);
            outcome.seals += 1;
            let expected_seq = match prev {
                Some((seq, _)) => Some(seq + 1),
                None if since.is_none() => Some(start_seq),
                None => None,
            };
            if let Some(expected) = expected_seq
                && seal.seq != expected
            {
                let problem = if prev.is_none() && retention.is_none() {
                    format!(
                        "seals {expected} to {} are missing: the chain must start at seal 1 or at a retention seal",
                        seal.seq - 1
                    )
                } else {
                    format!("seals {expected} to {} are missing (deleted)", seal.seq - 1)
                };
                return broken(outcome, seal.seq, None, problem);
            }
            if seal.keyed {
                seen_keyed = true;
            } else if seen_keyed {
                return broken(
                    outcome,
                    seal.seq,
                    None,
                    "an unkeyed seal follows keyed ones (forged)".to_owned(),
                );
            } else {
                outcome.unkeyed_seals += 1;
            }
            let expected_prev = match prev {
                Some((_, hash)) => Some(hash),
                None if since.is_none() => Some(start_hash),
                None => None,
            };
            if let Err(link) = check_seal(key, &seal, events, expected_prev) {
                outcome.broken = Some(link);
                return Ok(outcome);
            }
            let last = seal
                .event_hashes
                .last()
                .and_then(|hash| hash32(hash))
                .unwrap_or(GENESIS);
            last_hashes.insert(seal.seq, last);
            prev = Some((seal.seq, last));
            outcome.events += seal.event_ids.len() as u64;
            cursor = Some((seal.cursor_txid, seal.cursor_id));
        }
    }
    // Every event up to the sealer's cursor must be in a seal: one more means an event
    // was slipped in behind the sealer (or a seal was removed).
    let floor = if since.is_none() { start_cursor } else { None };
    let (covered, unsealed) = db::transaction(pool, Some(organisation), move |conn| {
        async move {
            let mut behind = audit_events::table
                .filter(audit_events::organisation_id.eq(organisation))
                .into_boxed();
            let mut ahead = audit_events::table
                .filter(audit_events::organisation_id.eq(organisation))
                .into_boxed();
            if let Some(since) = since {
                let start = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                behind = behind.filter(audit_events::occurred_at.ge(start));
                ahead = ahead.filter(audit_events::occurred_at.ge(start));
            }
            if let Some((txid, id)) = floor {
                behind = behind.filter(
                    audit_events::txid
                        .gt(txid)
                        .or(audit_events::txid.eq(txid).and(audit_events::id.gt(id))),
                );
            }
            match cursor.or(floor) {
                Some((txid, id)) => {
                    behind = behind.filter(
                        audit_events::txid
                            .lt(txid)
                            .or(audit_events::txid.eq(txid).and(audit_events::id.le(id))),
                    );
                    ahead = ahead.filter(
                        audit_events::txid
                            .gt(txid)
                            .or(audit_events::txid.eq(txid).and(audit_events::id.gt(id))),
                    );
                }
                None => behind = behind.filter(audit_events::txid.lt(0)),
            }
            let covered: i64 = behind.count().get_result(conn).await?;
            let unsealed: i64 = ahead.count().get_result(conn).await?;
            Ok((covered, unsealed))
        }
        .boxed()
    })
    .await?;
    outcome.unsealed = unsealed;
    let last_seq = prev.map(|(seq, _)| seq);
    if covered != outcome.events as i64 {
        let problem = format!(
            "{covered} events lie within the sealed range but the seals cover {}: events were added or seals removed",
            outcome.events
        );
        return broken(outcome, last_seq.unwrap_or(0), None, problem);
    }
    // The heads exported outside the database must all still be there.
    for head in against.unwrap_or_default() {
        if head.organisation_id != organisation {
            continue;
        }
        let at = head.exported_at.format("%Y-%m-%d %H:%M:%S UTC");
        if let Some(retention) = &retention
            && head.seq <= retention.seq
        {
            if head.seq == retention.seq && to_hex(&retention.last_hash) != head.hash {
                let problem = format!(
                    "seal {} differs from the head exported at {at}: history was rewritten",
                    head.seq
                );
                return broken(outcome, head.seq, None, problem);
            }
            // Dropped by retention, as a keyed retention seal records.
            continue;
        }
        match last_hashes.get(&head.seq) {
            Some(hash) if to_hex(hash) == head.hash => {}
            Some(_) => {
                let problem = format!(
                    "seal {} differs from the head exported at {at}: history was rewritten",
                    head.seq
                );
                return broken(outcome, head.seq, None, problem);
            }
            None if since.is_some() && last_seq.is_none_or(|last| head.seq < last) => {
                // Before the months checked.
            }
            None => {
                let last = last_seq.unwrap_or(start_seq - 1);
                let problem = format!(
                    "seals {} to {} are missing: the head exported at {at} was seal {}, the chain in the database ends at seal {last} (truncated or dropped)",
                    last + 1,
                    head.seq,
                    head.seq
                );
                return broken(outcome, head.seq, None, problem);
            }
        }
    }
    Ok(outcome)
}

fn check_seal(
    key: &SealKey,
    seal: &SealRow,
    events: Vec<ChainEvent>,
    expected_prev: Option<[u8; 32]>,
) -> Result<(), BrokenLink> {
    let broken = |event_id: Option<Uuid>, problem: &str| BrokenLink {
        seq: seal.seq,
        event_id,
        problem: problem.to_owned(),
    };
    let Some(seal_prev) = hash32(&seal.prev_hash) else {
        return Err(broken(None, "the seal's previous hash is malformed"));
    };
    if let Some(expected) = expected_prev
        && expected != seal_prev
    {
        return Err(broken(
            None,
            if seal.seq == 1 {
                "the first seal does not start from the genesis hash"
            } else {
                "the seal does not continue the previous seal (a seal is missing or altered)"
            },
        ));
    }
    let mut by_id: std::collections::HashMap<Uuid, ChainEvent> =
        events.into_iter().map(|event| (event.id, event)).collect();
    let mut hash = seal_prev;
    for (id, stored) in seal.event_ids.iter().zip(&seal.event_hashes) {
        let Some(event) = by_id.remove(id) else {
            return Err(broken(Some(*id), "the event is missing (deleted)"));
        };
        hash = if seal.keyed {
            event_hash(key, &hash, &event)
        } else {
            legacy_event_hash(&hash, &event)
        };
        if hash.as_slice() != stored.as_slice() {
            return Err(broken(
                Some(*id),
                "the event's content does not match its hash (edited, or sealed with another key)",
            ));
        }
    }
    Ok(())
}
