//! Tamper evidence: each organisation's events form a hash chain.
//!
//! Requests only insert events; they never wait for a chain lock. A background sealer
//! takes an organisation's events of transactions older than every running transaction
//! (so a late commit can never be skipped), in `(txid, id)` order, and appends a seal: the
//! event ids with each event's hash `sha256(previous hash ‖ event content)`. A seal holds
//! the events of one month, so retention drops an event partition and its seals together.
//! `polku audit verify` recomputes the chain and reports the first broken link.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::FutureExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::schema::{audit_events, audit_seals, organisations};

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

/// Feeds length-prefixed fields to a hasher, so no two different events encode alike.
struct Encoder(Sha256);

impl Encoder {
    fn bytes(&mut self, bytes: Option<&[u8]>) {
        match bytes {
            None => self.0.update(u64::MAX.to_be_bytes()),
            Some(bytes) => {
                self.0.update((bytes.len() as u64).to_be_bytes());
                self.0.update(bytes);
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
        self.0.update((ids.len() as u64).to_be_bytes());
        for id in ids {
            self.uuid(Some(*id));
        }
    }
    fn texts(&mut self, texts: &[String]) {
        self.0.update((texts.len() as u64).to_be_bytes());
        for text in texts {
            self.text(Some(text));
        }
    }
}

/// `sha256(prev ‖ content of event)`.
pub fn event_hash(prev: &[u8; 32], event: &ChainEvent) -> [u8; 32] {
    let mut e = Encoder(Sha256::new());
    e.0.update(b"polku-audit-v1");
    e.0.update(prev);
    e.uuid(Some(event.id));
    e.uuid(event.organisation_id);
    e.0.update(event.occurred_at.timestamp_micros().to_be_bytes());
    e.0.update(event.txid.to_be_bytes());
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
    e.0.finalize().into()
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

#[derive(Debug, Queryable)]
struct SealHead {
    seq: i64,
    event_hashes: Vec<Vec<u8>>,
    cursor_txid: i64,
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

/// Every organisation (maintenance may list them all).
pub async fn organisation_ids(pool: &DbPool) -> Result<Vec<Uuid>, ApiError> {
    db::transaction(pool, None, |conn| {
        async move {
            maintenance(conn).await?;
            Ok(organisations::table
                .select(organisations::id)
                .order(organisations::id)
                .load::<Uuid>(conn)
                .await?)
        }
        .boxed()
    })
    .await
}

async fn maintenance(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT set_config('polku.maintenance', 'on', true)")
        .execute(conn)
        .await
        .map(drop)
}

/// Seals every organisation's pending events. Returns how many events were sealed.
pub async fn seal_all(pool: &DbPool) -> Result<u64, ApiError> {
    let mut sealed = 0;
    for organisation in organisation_ids(pool).await? {
        sealed += seal_organisation(pool, organisation).await?;
    }
    Ok(sealed)
}

/// Seals one organisation's pending events, a batch per transaction. Another instance
/// sealing the same organisation makes this one step aside.
pub async fn seal_organisation(pool: &DbPool, organisation: Uuid) -> Result<u64, ApiError> {
    let mut total = 0;
    loop {
        let sealed = db::transaction(pool, Some(organisation), move |conn| {
            async move { Ok(seal_batch(conn, organisation).await?) }.boxed()
        })
        .await?;
        total += sealed;
        if sealed < SEAL_BATCH as u64 {
            return Ok(total);
        }
    }
}

async fn seal_batch(conn: &mut AsyncPgConnection, organisation: Uuid) -> QueryResult<u64> {
    let locked: Flag =
        diesel::sql_query("SELECT pg_try_advisory_xact_lock(7368024, hashtext($1::text)) AS ok")
            .bind::<SqlUuid, _>(organisation)
            .get_result(conn)
            .await?;
    if !locked.ok {
        return Ok(0);
    }
    // Transactions below the horizon have all ended: their events are visible or never
    // will be.
    let horizon: Horizon = diesel::sql_query("SELECT txid_snapshot_xmin(txid_current_snapshot()) AS xmin")
        .get_result(conn)
        .await?;
    let head: Option<SealHead> = audit_seals::table
        .filter(audit_seals::organisation_id.eq(organisation))
        .order(audit_seals::seq.desc())
        .select((
            audit_seals::seq,
            audit_seals::event_hashes,
            audit_seals::cursor_txid,
            audit_seals::cursor_id,
        ))
        .first(conn)
        .await
        .optional()?;
    let mut query = audit_events::table
        .filter(audit_events::organisation_id.eq(organisation))
        .filter(audit_events::txid.lt(horizon.xmin))
        .order((audit_events::txid, audit_events::id))
        .limit(SEAL_BATCH)
        .select(ChainEvent::as_select())
        .into_boxed();
    let (mut seq, mut prev) = (0, GENESIS);
    if let Some(head) = &head {
        seq = head.seq;
        prev = last_hash(&head.event_hashes).unwrap_or(GENESIS);
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
    let Some(last) = events.last() else {
        return Ok(0);
    };
    let (cursor_txid, cursor_id) = (last.txid, last.id);
    // One seal per run of events of the same month, in chain order.
    let mut runs: Vec<Run> = Vec::new();
    for event in &events {
        let period = period_of(event.occurred_at);
        let hash = event_hash(&prev, event);
        match runs.last_mut() {
            Some(run) if run.period == period => {
                run.ids.push(event.id);
                run.hashes.push(hash.to_vec());
            }
            _ => runs.push(Run {
                period,
                prev,
                ids: vec![event.id],
                hashes: vec![hash.to_vec()],
            }),
        }
        prev = hash;
    }
    let rows: Vec<_> = runs
        .into_iter()
        .map(|run| {
            seq += 1;
            (
                audit_seals::organisation_id.eq(organisation),
                audit_seals::seq.eq(seq),
                audit_seals::period.eq(run.period),
                audit_seals::prev_hash.eq(run.prev.to_vec()),
                audit_seals::event_ids.eq(run.ids),
                audit_seals::event_hashes.eq(run.hashes),
                audit_seals::cursor_txid.eq(cursor_txid),
                audit_seals::cursor_id.eq(cursor_id),
            )
        })
        .collect();
    diesel::insert_into(audit_seals::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(events.len() as u64)
}

/// Consecutive events of one month: one seal.
struct Run {
    period: NaiveDate,
    prev: [u8; 32],
    ids: Vec<Uuid>,
    hashes: Vec<Vec<u8>>,
}

fn last_hash(hashes: &[Vec<u8>]) -> Option<[u8; 32]> {
    hashes.last().and_then(|hash| hash.as_slice().try_into().ok())
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
}

/// Recomputes an organisation's chain from the seals of months from `since` on (all when
/// `None`) and reports the first broken link: an edited event (its hash differs), a
/// removed event or seal, or an event slipped in among sealed ones.
pub async fn verify(
    pool: &DbPool,
    organisation: Uuid,
    since: Option<NaiveDate>,
) -> Result<Verification, ApiError> {
    let since = since.map(|day| period_of(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    let mut outcome = Verification {
        organisation_id: organisation,
        seals: 0,
        events: 0,
        unsealed: 0,
        broken: None,
    };
    let mut after_seq: Option<i64> = None;
    let mut prev: Option<[u8; 32]> = None;
    let mut cursor: Option<(i64, Uuid)> = None;
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
                    ))
                    .into_boxed();
                if let Some(seq) = after_seq {
                    query = query.filter(audit_seals::seq.gt(seq));
                }
                if let Some(since) = since {
                    query = query.filter(audit_seals::period.ge(since));
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
            if let Some(broken) = check_seal(&seal, events, &mut prev, outcome.seals == 1 && since.is_none())
            {
                outcome.broken = Some(broken);
                return Ok(outcome);
            }
            outcome.events += seal.event_ids.len() as u64;
            cursor = Some((seal.cursor_txid, seal.cursor_id));
        }
    }
    // Every event up to the sealer's cursor must be in a seal: one more means an event
    // was slipped in behind the sealer (or a seal was removed).
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
            match cursor {
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
    if covered != outcome.events as i64 {
        outcome.broken = Some(BrokenLink {
            seq: after_seq.unwrap_or(0),
            event_id: None,
            problem: format!(
                "{covered} events lie within the sealed range but the seals cover {}: events were added or seals removed",
                outcome.events
            ),
        });
    }
    Ok(outcome)
}

fn check_seal(
    seal: &SealRow,
    events: Vec<ChainEvent>,
    prev: &mut Option<[u8; 32]>,
    from_genesis: bool,
) -> Option<BrokenLink> {
    let broken = |event_id: Option<Uuid>, problem: &str| {
        Some(BrokenLink {
            seq: seal.seq,
            event_id,
            problem: problem.to_owned(),
        })
    };
    let Ok(seal_prev) = <[u8; 32]>::try_from(seal.prev_hash.as_slice()) else {
        return broken(None, "the seal's previous hash is malformed");
    };
    match prev {
        Some(expected) if *expected != seal_prev => {
            return broken(
                None,
                "the seal does not continue the previous seal (a seal is missing or altered)",
            );
        }
        None if from_genesis && seal.seq == 1 && seal_prev != GENESIS => {
            return broken(None, "the first seal does not start from the genesis hash");
        }
        None if from_genesis && seal.seq != 1 => {
            // Older seals were dropped by retention: the chain is checked from here.
        }
        _ => {}
    }
    let mut by_id: std::collections::HashMap<Uuid, ChainEvent> =
        events.into_iter().map(|event| (event.id, event)).collect();
    let mut hash = seal_prev;
    for (id, stored) in seal.event_ids.iter().zip(&seal.event_hashes) {
        let Some(event) = by_id.remove(id) else {
            return broken(Some(*id), "the event is missing (deleted)");
        };
        hash = event_hash(&hash, &event);
        if hash.as_slice() != stored.as_slice() {
            return broken(Some(*id), "the event's content does not match its hash (edited)");
        }
    }
    *prev = Some(hash);
    None
}
