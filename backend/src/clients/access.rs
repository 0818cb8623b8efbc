//! A client reached from another record: the unit rule of [`crate::domain::access`]
//! applied to the stored client. Other areas open a client only through these two.

use diesel_async::AsyncPgConnection;

use super::store::{self, ClientRow};
use crate::auth::actor::Actor;
use crate::domain::access::{ReadAccess, read, write};
use crate::error::ApiError;
use crate::ids::ClientId;

/// The client, if the actor may read it (another unit's client needs a reason), and how
/// the read is to be logged. A client of another organisation is not found.
pub async fn readable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    client: ClientId,
    reason: Option<String>,
) -> Result<(ClientRow, ReadAccess), ApiError> {
    let row = store::find(conn, client).await?.ok_or(ApiError::NotFound)?;
    let access = read(actor, row.unit_id, reason)?;
    Ok((row, access))
}

/// The client, if the actor may write it.
pub async fn writable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    client: ClientId,
) -> Result<ClientRow, ApiError> {
    let row = store::find(conn, client).await?.ok_or(ApiError::NotFound)?;
    write(actor, row.unit_id)?;
    Ok(row)
}
