//! The access log against its owner and its runtime role (issue 17, item 4, and the
//! maintenance setting of item 6): the runtime role writes no seals, cannot back-date an
//! event or widen its view with a setting; the owner cannot truncate a partition without
//! switching its trigger off, and `verify` against the exported chain heads catches it.

use diesel::QueryableByName;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use polku::audit::chain;
use polku_tests::world::World;
use uuid::Uuid;

fn this_month() -> String {
    chrono::Utc::now().format("%Y_%m").to_string()
}

#[tokio::test]
async fn the_runtime_role_cannot_write_a_seal() {
    let w = World::builder("Sinettikunta").spawn().await;
    w.coach().client(w.org.unit_id, "Nieminen").await;
    let mut conn = w.app.runtime_role().await;
    let organisation = w.org.id;
    // A seal far ahead would stop the sealer for this organisation for good.
    let result = conn
        .transaction(async |conn| {
            polku::db::set_organisation(conn, organisation).await?;
            conn.batch_execute(&format!(
                "INSERT INTO audit_seals (organisation_id, seq, period, prev_hash, event_ids,
                                          event_hashes, cursor_txid, cursor_id)
                 VALUES ('{organisation}', 1000000, date_trunc('month', now())::date,
                         decode(repeat('00', 32), 'hex'), ARRAY[gen_random_uuid()],
                         ARRAY[decode(repeat('00', 32), 'hex')], 9223372036854775807,
                         gen_random_uuid())"
            ))
            .await
        })
        .await;
    let error = result.expect_err("the runtime role wrote a seal").to_string();
    assert!(error.contains("permission denied"), "{error}");
    // Its one way to seal takes only the next events, and it cannot record retention.
    for (statement, refusal) in [
        (
            format!(
                "SELECT polku_audit_seal('{organisation}', ARRAY[gen_random_uuid()],
                                         ARRAY[decode(repeat('00', 32), 'hex')])"
            ),
            "seal",
        ),
        (
            format!(
                "SELECT polku_audit_record_retention('{organisation}', 1000000,
                     decode(repeat('00', 32), 'hex'), 9223372036854775807, gen_random_uuid(),
                     date_trunc('month', now())::date, decode(repeat('00', 32), 'hex'))"
            ),
            "permission denied",
        ),
    ] {
        let result = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, organisation).await?;
                conn.batch_execute(&statement).await
            })
            .await;
        let error = result.expect_err(&statement).to_string();
        assert!(error.contains(refusal), "{statement}: {error}");
    }
    let seals = w
        .app
        .count(&format!(
            "SELECT count(*) AS n FROM audit_seals WHERE organisation_id = '{organisation}'"
        ))
        .await;
    assert_eq!(seals, 0);
}

#[tokio::test]
async fn a_back_dated_event_is_stored_with_the_real_time_and_transaction() {
    let w = World::builder("Aikakunta").spawn().await;
    let mut conn = w.app.runtime_role().await;
    let (organisation, id) = (w.org.id, Uuid::now_v7());
    conn.transaction(async |conn| {
        polku::db::set_organisation(conn, organisation).await?;
        conn.batch_execute(&format!(
            "INSERT INTO audit_events (id, organisation_id, occurred_at, txid, category, action)
             VALUES ('{id}', '{organisation}', date_trunc('month', now()), 1, 'admin', 'backdated')"
        ))
        .await
    })
    .await
    .expect("insert");
    let real = w
        .app
        .count(&format!(
            "SELECT count(*) AS n FROM audit_events WHERE id = '{id}'
               AND occurred_at > now() - interval '1 minute' AND txid <> 1"
        ))
        .await;
    assert_eq!(real, 1, "the event kept the time or transaction the app sent");
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

#[tokio::test]
async fn the_runtime_role_cannot_list_other_organisations_with_a_setting() {
    let w = World::builder("Näkymäkunta").spawn().await;
    let other = w.app.organisation("Toinen kunta").await;
    let mut conn = w.app.runtime_role().await;
    let organisation = w.org.id;
    let seen: Vec<Id> = conn
        .transaction(async |conn| {
            polku::db::set_organisation(conn, organisation).await?;
            diesel::sql_query("SELECT set_config('polku.maintenance', 'on', true)")
                .execute(conn)
                .await?;
            diesel::sql_query("SELECT id FROM organisations").load(conn).await
        })
        .await
        .expect("select");
    let seen: Vec<Uuid> = seen.into_iter().map(|row| row.id).collect();
    assert!(!seen.contains(&other.id), "the app listed another organisation");
    assert_eq!(seen, vec![organisation]);
}

/// The owner may switch a partition's triggers off and truncate this month's log; the
/// chain in the database then looks merely short, but the heads exported outside it name
/// the gap.
#[tokio::test]
async fn the_owner_truncating_this_months_log_is_caught_by_verify_against_the_exported_heads() {
    let w = World::builder("Katkokunta").spawn().await;
    let (pool, key) = (w.app.pool(), w.app.audit_key());
    let coach = w.coach();
    let client = coach.client(w.org.unit_id, "Virtanen").await;
    coach.read_client(client).await;
    let dir = tempfile::tempdir().unwrap();
    let heads_file = dir.path().join("audit-heads.jsonl");
    w.app.seal_everything(w.org.id).await;
    // The sealer appends the head after sealing; a later event moves it on.
    coach.read_client(client).await;
    let mut sealed = 0;
    for _ in 0..400 {
        sealed += chain::seal_all(&pool, &key, &chain::HeadExport::file(&heads_file))
            .await
            .unwrap();
        if sealed > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let heads = chain::read_heads(&heads_file).unwrap();
    let head = heads
        .iter()
        .rfind(|head| head.organisation_id == w.org.id)
        .expect("an exported head")
        .clone();
    let intact = chain::verify(&pool, &key, w.org.id, None, Some(&heads))
        .await
        .unwrap();
    assert!(intact.broken.is_none(), "{intact:?}");
    assert_eq!(intact.seals as i64, head.seq);

    let mut owner = w.app.superuser().await;
    owner.batch_execute("SET ROLE polku_owner").await.unwrap();
    // With the triggers on, even the owner cannot truncate a partition...
    for table in ["audit_events", "audit_seals"] {
        let result = owner
            .batch_execute(&format!("TRUNCATE {table}_{}", this_month()))
            .await;
        let error = result.expect_err("the owner truncated a partition").to_string();
        assert!(error.contains("append-only"), "{error}");
    }
    // ...but it can switch them off.
    for table in ["audit_events", "audit_seals"] {
        let partition = format!("{table}_{}", this_month());
        owner
            .batch_execute(&format!(
                "ALTER TABLE {partition} DISABLE TRIGGER USER;
                 TRUNCATE {partition};
                 ALTER TABLE {partition} ENABLE TRIGGER USER;"
            ))
            .await
            .unwrap();
    }
    // The database alone shows an empty chain...
    let alone = chain::verify(&pool, &key, w.org.id, None, None).await.unwrap();
    assert_eq!((alone.seals, alone.events), (0, 0), "{alone:?}");
    // ...the exported heads show what is gone.
    let broken = chain::verify(&pool, &key, w.org.id, None, Some(&heads))
        .await
        .unwrap()
        .broken
        .expect("the truncation went unnoticed");
    assert_eq!(broken.seq, head.seq);
    assert!(
        broken
            .problem
            .contains(&format!("seals 1 to {} are missing", head.seq)),
        "{broken:?}"
    );
}

/// Seals are keyed: a chain checked with another key does not hold (so hashes recomputed
/// without the key are caught), and a chain whose first seal and its events are gone is
/// broken (retention alone may remove them, with a keyed retention seal).
#[tokio::test]
async fn rewritten_hashes_and_missing_leading_seals_are_caught() {
    let w = World::builder("Avainkunta").spawn().await;
    let (pool, key) = (w.app.pool(), w.app.audit_key());
    let coach = w.coach();
    let client = coach.client(w.org.unit_id, "Lehtinen").await;
    coach.read_client(client).await;
    w.app.seal_everything(w.org.id).await;
    coach.read_client(client).await;
    w.app.seal_everything(w.org.id).await;
    let intact = chain::verify(&pool, &key, w.org.id, None, None).await.unwrap();
    assert!(intact.broken.is_none() && intact.seals >= 2, "{intact:?}");
    // Verified with another key, nothing holds.
    let other = chain::SealKey::new([7; 32]);
    let forged = chain::verify(&pool, &other, w.org.id, None, None).await.unwrap();
    assert!(forged.broken.is_some(), "{forged:?}");
    // Without seal 1 and its events the chain starts nowhere.
    let seals = format!("audit_seals_{}", this_month());
    let events = format!("audit_events_{}", this_month());
    let mut owner = w.app.superuser().await;
    owner
        .batch_execute(&format!(
            "SET ROLE polku_owner;
             ALTER TABLE {seals} DISABLE TRIGGER USER;
             ALTER TABLE {events} DISABLE TRIGGER USER;
             DELETE FROM {events} WHERE id IN
                 (SELECT unnest(event_ids) FROM {seals} WHERE organisation_id = '{org}' AND seq = 1);
             DELETE FROM {seals} WHERE organisation_id = '{org}' AND seq = 1;
             ALTER TABLE {events} ENABLE TRIGGER USER;
             ALTER TABLE {seals} ENABLE TRIGGER USER;",
            org = w.org.id
        ))
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .expect("missing leading seal accepted");
    assert!(broken.problem.contains("must start at seal 1"), "{broken:?}");
}

/// In a request's transaction the actor is the one the session check found live, not
/// whoever the application names.
#[tokio::test]
async fn an_event_names_the_actor_of_the_live_session_not_the_one_the_app_sends() {
    let w = World::builder("Tekijäkunta")
        .with(&[polku_tests::world::Staff::OtherCoach])
        .spawn()
        .await;
    let (coach, other) = (w.coach(), w.other_coach());
    coach.get("/api/v1/auth/me").await;
    #[derive(QueryableByName)]
    struct Session {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let mut superuser = w.app.superuser().await;
    let session: Session = diesel::sql_query(
        "SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind::<SqlUuid, _>(coach.id())
    .get_result(&mut superuser)
    .await
    .unwrap();
    let (organisation, id, person, impostor) = (w.org.id, Uuid::now_v7(), coach.id(), other.id());
    let mut conn = w.app.runtime_role().await;
    conn.transaction(async |conn| {
        diesel::sql_query(format!(
            "SELECT polku_live_session('{organisation}', '{}', '{person}') IS NOT NULL AS ok",
            session.id
        ))
        .execute(conn)
        .await?;
        conn.batch_execute(&format!(
            "INSERT INTO audit_events (id, organisation_id, category, action, actor_user_id)
             VALUES ('{id}', '{organisation}', 'admin', 'impersonated', '{impostor}')"
        ))
        .await
    })
    .await
    .expect("insert");
    let events = w.app.events_where(w.org.id, &format!("id = '{id}'")).await;
    assert_eq!(events[0]["actor_user_id"], person.to_string(), "{events:?}");
}

/// Retention drops whole months only after a keyed retention seal says where the chain
/// resumes; verify then starts there, and a retention seal the owner removes or forges
/// leaves the chain without a beginning.
#[tokio::test]
async fn retention_records_a_keyed_seal_and_verify_starts_there() {
    use chrono::{Months, Utc};
    let w = World::builder("Säilytyskunta").spawn().await;
    let (pool, key) = (w.app.pool(), w.app.audit_key());
    // Last month's partitions, and two events in it (only the owner, triggers off, can
    // place events in the past).
    polku::audit::maintenance::run(&w.app.owner_url, 24, &key)
        .await
        .unwrap();
    let last_month = chain::period_of(Utc::now())
        .checked_sub_months(Months::new(1))
        .unwrap();
    let partition = format!("audit_events_{}", last_month.format("%Y_%m"));
    let mut owner = w.app.superuser().await;
    owner
        .batch_execute(&format!(
            "SET ROLE polku_owner;
             ALTER TABLE {partition} DISABLE TRIGGER USER;
             INSERT INTO {partition} (id, organisation_id, occurred_at, txid, category, action)
             VALUES (gen_random_uuid(), '{org}', '{last_month} 12:00:00+00', 1, 'admin', 'old'),
                    (gen_random_uuid(), '{org}', '{last_month} 12:00:01+00', 2, 'admin', 'old');
             ALTER TABLE {partition} ENABLE TRIGGER USER;",
            org = w.org.id
        ))
        .await
        .unwrap();
    // The sealer exports its head (seal 1 or 2: the old events come first in the chain).
    let dir = tempfile::tempdir().unwrap();
    let heads_file = dir.path().join("heads.jsonl");
    let mut sealed = 0;
    for _ in 0..400 {
        sealed += chain::seal_all(&pool, &key, &chain::HeadExport::file(&heads_file))
            .await
            .unwrap();
        if sealed >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    w.coach().client(w.org.unit_id, "Salonen").await;
    w.app.seal_everything(w.org.id).await;
    let intact = chain::verify(&pool, &key, w.org.id, None, None).await.unwrap();
    assert!(intact.broken.is_none() && intact.seals >= 2, "{intact:?}");

    // Keep no full month: last month goes.
    let upkeep = polku::audit::maintenance::run(&w.app.owner_url, 0, &key)
        .await
        .unwrap();
    assert!(upkeep.dropped >= 2, "{upkeep:?}");
    let heads = chain::read_heads(&heads_file).unwrap();
    let after = chain::verify(&pool, &key, w.org.id, None, Some(&heads))
        .await
        .unwrap();
    assert!(after.broken.is_none(), "{after:?}");
    assert_eq!(after.seals, intact.seals - 1);
    assert_eq!(after.events, intact.events - 2);

    // Without the retention seal the chain has no beginning.
    owner
        .batch_execute(
            "ALTER TABLE audit_retention_seals DISABLE TRIGGER USER;
             ALTER TABLE audit_retention_seals NO FORCE ROW LEVEL SECURITY;
             CREATE TEMPORARY TABLE kept AS SELECT * FROM audit_retention_seals;
             DELETE FROM audit_retention_seals;",
        )
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .expect("a chain without its first seal passed");
    assert!(broken.problem.contains("must start at seal 1"), "{broken:?}");
    // A retention seal the owner writes without the key is refused.
    owner
        .batch_execute(
            "INSERT INTO audit_retention_seals
             SELECT organisation_id, seq, last_hash, cursor_txid, cursor_id, dropped_before,
                    recorded_at, decode(repeat('11', 32), 'hex')
             FROM kept;
             ALTER TABLE audit_retention_seals FORCE ROW LEVEL SECURITY;
             ALTER TABLE audit_retention_seals ENABLE TRIGGER USER;",
        )
        .await
        .unwrap();
    let broken = chain::verify(&pool, &key, w.org.id, None, None)
        .await
        .unwrap()
        .broken
        .expect("a forged retention seal passed");
    assert!(broken.problem.contains("not signed"), "{broken:?}");
}
