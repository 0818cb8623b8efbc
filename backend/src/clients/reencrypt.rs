//! `polku keys reencrypt`: rewrites values encrypted with older keys, or in the legacy
//! format not yet bound to their row, with the current key and format, a batch per
//! transaction, while the server runs. Each row is rewritten only if it still holds the
//! value read (compare and set), so a concurrent edit is never overwritten.

use diesel::sql_types::{Bytea, Integer, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::crypto::{Cipher, Place};
use crate::db;

/// An encrypted column: table, column and the context it was encrypted with. Every such
/// table has the primary key `id` and `organisation_id`, which bind each value to its row.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Table.
    pub table: &'static str,
    /// Column.
    pub column: &'static str,
    /// Encryption context.
    pub context: &'static [u8],
}

/// Columns the runtime role may rewrite.
pub const RUNTIME_COLUMNS: &[Column] = &[
    Column {
        table: "clients",
        column: "identity_code_encrypted",
        context: super::fields::IDENTITY_CODE,
    },
    Column {
        table: "clients",
        column: "iban_encrypted",
        context: super::fields::IBAN,
    },
    Column {
        table: "clients",
        column: "trade_union_encrypted",
        context: super::fields::TRADE_UNION,
    },
    Column {
        table: "client_history_entries",
        column: "description_encrypted",
        context: super::store::history::DESCRIPTION,
    },
    Column {
        table: "users",
        column: "mfa_secret",
        context: crate::auth::mfa::CONTEXT,
    },
];

/// The rectification history is closed to updates by the runtime role; the owner role
/// rewrites its encrypted previous values.
pub const OWNER_COLUMNS: &[Column] = &[Column {
    table: "client_changes",
    column: "previous_encrypted",
    context: crate::domain::changes::PREVIOUS,
}];

#[derive(diesel::QueryableByName)]
struct Stale {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Bytea)]
    value: Vec<u8>,
}

/// Rewrites one organisation's values of `column` that are not current: encrypted with
/// another key than the current one, or in the legacy format (version 1, bound to the
/// column only). Returns how many were rewritten.
pub async fn column(
    conn: &mut AsyncPgConnection,
    cipher: &Cipher,
    organisation: Uuid,
    column: Column,
    batch: i64,
) -> anyhow::Result<u64> {
    let current = i32::from(cipher.current_key_id());
    let version = i32::from(Cipher::format_version());
    let mut rewritten = 0;
    loop {
        let done = conn
            .transaction(async |conn| {
                db::set_organisation(conn, organisation).await?;
                // The format version is the ciphertext's first byte, the key id its second.
                let stale: Vec<Stale> = diesel::sql_query(format!(
                    "SELECT id, {col} AS value FROM {table} \
                     WHERE {col} IS NOT NULL AND (get_byte({col}, 0) <> $1 OR get_byte({col}, 1) <> $2) \
                     LIMIT $3 FOR UPDATE SKIP LOCKED",
                    col = column.column,
                    table = column.table
                ))
                .bind::<Integer, _>(version)
                .bind::<Integer, _>(current)
                .bind::<diesel::sql_types::BigInt, _>(batch)
                .load(conn)
                .await?;
                let mut count = 0_u64;
                for row in &stale {
                    // The row read under the organisation's policy is the organisation's.
                    let place = Place::new(column.context, organisation, row.id);
                    let plain = cipher.decrypt(&row.value, place).map_err(|error| {
                        anyhow::anyhow!("{}.{} of {}: {error}", column.table, column.column, row.id)
                    })?;
                    let fresh = cipher.encrypt(&plain, place)?;
                    count += diesel::sql_query(format!(
                        "UPDATE {table} SET {col} = $1 WHERE id = $2 AND {col} = $3",
                        col = column.column,
                        table = column.table
                    ))
                    .bind::<Bytea, _>(fresh)
                    .bind::<SqlUuid, _>(row.id)
                    .bind::<Bytea, _>(&row.value)
                    .execute(conn)
                    .await? as u64;
                }
                anyhow::Ok((count, stale.len() < usize::try_from(batch).unwrap_or(usize::MAX)))
            })
            .await?;
        rewritten += done.0;
        if done.1 {
            return Ok(rewritten);
        }
    }
}

/// Rewrites everything of these organisations encrypted with an older key or in the
/// legacy format: the clients' columns above and `others` (other areas' columns the
/// runtime role may rewrite, named by the caller). Returns how many values.
pub async fn run(
    app: &mut AsyncPgConnection,
    owner: &mut AsyncPgConnection,
    cipher: &Cipher,
    organisations: &[Uuid],
    others: &[Column],
    batch: i64,
) -> anyhow::Result<u64> {
    let mut rewritten = 0;
    for &organisation in organisations {
        for target in RUNTIME_COLUMNS.iter().chain(others) {
            rewritten += column(app, cipher, organisation, *target, batch).await?;
        }
        for target in OWNER_COLUMNS {
            rewritten += column(owner, cipher, organisation, *target, batch).await?;
        }
    }
    Ok(rewritten)
}
