//! Upkeep of the log tables under the owner role: monthly partitions a year ahead, and
//! retention by dropping whole months, each drop preceded by a keyed retention seal per
//! organisation (where its chain now begins) in the same transaction.

use anyhow::Context;
use chrono::{Months, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bytea, Date, Integer, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use secrecy::{ExposeSecret, SecretString};

use super::chain::{RetentionHead, SealKey, period_of, retention_mac};
use crate::db::OWNER_ROLE;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    n: i32,
}

/// What one maintenance run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upkeep {
    /// Partitions created.
    pub created: i32,
    /// Partitions dropped by retention.
    pub dropped: i32,
}

/// Creates the partitions from last month to twelve months ahead and drops the months
/// that ended more than `retention_months` ago, recording first (with `key`) where each
/// organisation's chain resumes.
pub async fn run(owner_url: &SecretString, retention_months: u32, key: &SealKey) -> anyhow::Result<Upkeep> {
    let mut conn = crate::db::establish(owner_url.expose_secret())
        .await
        .context("Failed to connect to the database as the owner")?;
    conn.batch_execute(&format!("SET ROLE {OWNER_ROLE}"))
        .await
        .with_context(|| format!("Failed to act as role {OWNER_ROLE}"))?;
    let this_month = period_of(Utc::now());
    let first = this_month
        .checked_sub_months(Months::new(1))
        .unwrap_or(this_month);
    let last = this_month
        .checked_add_months(Months::new(12))
        .unwrap_or(this_month);
    let created: Count = diesel::sql_query("SELECT polku_audit_ensure_partitions($1, $2) AS n")
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .get_result(&mut conn)
        .await
        .context("Failed to create log partitions")?;
    let cutoff = this_month
        .checked_sub_months(Months::new(retention_months))
        .unwrap_or(this_month);
    let dropped = conn
        .transaction(async |conn| {
            let heads: Vec<RetentionHead> =
                diesel::sql_query("SELECT * FROM polku_audit_retention_heads($1)")
                    .bind::<Date, _>(cutoff)
                    .load(conn)
                    .await?;
            for head in &heads {
                let mac = retention_mac(key, head, cutoff);
                diesel::sql_query("SELECT polku_audit_record_retention($1, $2, $3, $4, $5, $6, $7)")
                    .bind::<SqlUuid, _>(head.organisation_id)
                    .bind::<BigInt, _>(head.seq)
                    .bind::<Bytea, _>(&head.last_hash)
                    .bind::<BigInt, _>(head.cursor_txid)
                    .bind::<SqlUuid, _>(head.cursor_id)
                    .bind::<Date, _>(cutoff)
                    .bind::<Bytea, _>(mac.as_slice())
                    .execute(conn)
                    .await?;
            }
            let dropped: Count = diesel::sql_query("SELECT polku_audit_drop_partitions_before($1) AS n")
                .bind::<Date, _>(cutoff)
                .get_result(conn)
                .await?;
            diesel::QueryResult::Ok(dropped)
        })
        .await
        .context("Failed to drop expired log partitions")?;
    Ok(Upkeep {
        created: created.n,
        dropped: dropped.n,
    })
}

/// Runs the sealer every `seal_every` (unless zero), exporting the new chain heads to
/// `heads`, and the partition upkeep daily, for as long as the server runs. Failures are
/// logged and retried on the next round; requests never depend on them.
pub fn spawn(
    pool: crate::db::DbPool,
    owner_url: SecretString,
    key: SealKey,
    heads: super::chain::HeadExport,
    seal_every: std::time::Duration,
    retention_months: u32,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
        let mut last_upkeep = tokio::time::Instant::now();
        let tick = if seal_every.is_zero() { DAY } else { seal_every };
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if !seal_every.is_zero() {
                match super::chain::seal_all(&pool, &key, &heads).await {
                    Ok(0) => {}
                    Ok(sealed) => tracing::debug!(sealed, "access log sealed"),
                    Err(error) => tracing::warn!(%error, "sealing the access log failed; retrying"),
                }
            }
            if last_upkeep.elapsed() >= DAY {
                last_upkeep = tokio::time::Instant::now();
                match run(&owner_url, retention_months, &key).await {
                    Ok(upkeep) => tracing::info!(?upkeep, "log partitions maintained"),
                    Err(error) => tracing::warn!(%error, "log partition upkeep failed; retrying tomorrow"),
                }
            }
        }
    })
}
