//! Attendance: a whole group marked in one request (all or nothing, repeatable), records
//! corrected with their history, rule warnings, regularity and the month calendar with
//! Finnish holidays, and the allowance report's weekly cap, CSV and disclosure.

use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::fixtures::{content_type, field_codes, warning_codes};
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn world(name: &str) -> World {
    World::builder(name).with(&[Staff::Manager]).spawn().await
}

/// `n` clients of the unit, each with a KTT period from `starts_on` on Monday to
/// Friday, made in SQL (creating clients one by one is tested elsewhere); returns
/// (client, period) in name order.
async fn clients_with_periods(w: &World, n: usize, tag: &str, starts_on: &str) -> Vec<(String, String)> {
    let mut conn = w.app.superuser().await;
    let (org, unit) = (w.org.id, w.org.unit_id);
    conn.batch_execute(&format!(
        "INSERT INTO clients (id, organisation_id, unit_id, first_names, last_name, birth_date)
         SELECT gen_random_uuid(), '{org}', '{unit}', 'Testi', '{tag} ' || lpad(n::text, 3, '0'), '1990-01-01'
         FROM generate_series(1, {n}) n;
         INSERT INTO periods (id, organisation_id, client_id, service_type, starts_on, unit_id,
                              days_per_week, hours_per_day, weekdays)
         SELECT gen_random_uuid(), '{org}', c.id, 'ktt', '{starts_on}', '{unit}', 5, 6, '{{1,2,3,4,5}}'
         FROM clients c WHERE c.organisation_id = '{org}' AND c.last_name LIKE '{tag} %';"
    ))
    .await
    .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Pair {
        #[diesel(sql_type = diesel::sql_types::Text)]
        client: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        period: String,
    }
    let pairs: Vec<Pair> = diesel::sql_query(format!(
        "SELECT c.id::text AS client, p.id::text AS period FROM clients c JOIN periods p ON p.client_id = c.id
         WHERE c.organisation_id = '{org}' AND c.last_name LIKE '{tag} %' ORDER BY c.last_name"
    ))
    .load(&mut conn)
    .await
    .unwrap();
    pairs.into_iter().map(|p| (p.client, p.period)).collect()
}

const DAY: &str = "2026-11-02"; // a Monday

#[tokio::test]
async fn a_group_of_500_is_marked_in_one_request_repeatably_and_all_or_nothing() {
    let w = world("Läsnäkunta").await;
    let coach = w.coach();
    let members = clients_with_periods(&w, 500, "Ryhmäläinen", "2026-01-05").await;
    let (status, group) = coach
        .create_group(&json!({"unit_id": w.org.unit_id, "name": "Puutyöpaja aamu",
                    "period_ids": members.iter().map(|(_, p)| p).collect::<Vec<_>>()}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    assert_eq!(group["members"].as_array().unwrap().len(), 500);
    let group_id = group["id"].as_str().unwrap();

    // The day's sheet lists everyone scheduled, nothing marked yet.
    let (status, sheet) = coach.sheet(group_id, DAY).await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    let rows = sheet["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 500);
    assert!(
        rows.iter()
            .all(|r| r["scheduled"] == true && r["record"].is_null())
    );
    assert_eq!(sheet["group_name"], "Puutyöpaja aamu");

    // The whole day in one request: 480 present, 19 sick, one absent for another reason.
    let entries: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(i, (client, period))| match i {
            0..480 => json!({"period_id": period, "client_id": client, "status": "present", "hours": 6}),
            480..499 => json!({"period_id": period, "status": "absent", "absence_reason": "sick"}),
            _ => json!({"period_id": period, "status": "absent", "absence_reason": "other", "note": "Kela-asiointi"}),
        })
        .collect();
    let body = json!({ "entries": entries });
    let (status, marked) = coach.mark_day(group_id, DAY, &body).await;
    assert_eq!(status, StatusCode::OK, "{marked}");
    assert_eq!(marked["changed"], 500);
    assert_eq!(marked["rows"].as_array().unwrap().len(), 500);
    assert_eq!(marked["rows"][0]["record"]["status"], "present");
    assert_eq!(marked["rows"][499]["record"]["note"], "Kela-asiointi");
    let org = w.org.id;
    let stored = format!("SELECT count(*) AS n FROM attendance WHERE organisation_id = '{org}'");
    assert_eq!(w.app.count(&stored).await, 500);
    let writes = format!(
        "SELECT count(*) AS n FROM audit_events WHERE organisation_id = '{org}' \
         AND resource_type = 'attendance' AND action <> 'read'"
    );
    let history = format!("SELECT count(*) AS n FROM client_changes WHERE organisation_id = '{org}'");
    let (writes_before, history_before) = (w.app.count(&writes).await, w.app.count(&history).await);

    // The same day again changes nothing: no versions, no history, no log writes.
    let (status, again) = coach.mark_day(group_id, DAY, &body).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["changed"], 0);
    assert_eq!(again["rows"], marked["rows"]);
    let versions =
        format!("SELECT max(version)::bigint AS n FROM attendance WHERE organisation_id = '{org}'");
    assert_eq!(w.app.count(&versions).await, 1);
    assert_eq!(
        (w.app.count(&writes).await, w.app.count(&history).await),
        (writes_before, history_before)
    );

    // One unknown period rejects the whole request, naming its row; the valid change in
    // row 17 is not stored either.
    let mut bad = body.clone();
    bad["entries"][17] =
        json!({"period_id": members[17].1, "status": "absent", "absence_reason": "unauthorised"});
    bad["entries"][321]["period_id"] = json!(Uuid::now_v7());
    let (status, problem) = coach.mark_day(group_id, DAY, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![("entries[321].period_id".to_owned(), "unknown_period".to_owned())]
    );
    let (_, now) = coach.sheet(group_id, DAY).await;
    let row17 = now["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period_id"] == members[17].1.as_str())
        .unwrap();
    assert_eq!(row17["record"]["status"], "present", "nothing stored");
    assert_eq!(w.app.count(&stored).await, 500);

    // Invalid marks are named by row too, and nothing is stored.
    let mut bad = body.clone();
    bad["entries"][3] = json!({"period_id": members[3].1, "status": "absent"});
    bad["entries"][4] = json!({"period_id": members[4].1, "status": "present", "hours": 30});
    bad["entries"][5] = json!({"period_id": members[5].1, "status": "absent", "absence_reason": "other"});
    bad["entries"][6] = json!({"period_id": members[5].1, "status": "present"});
    bad["entries"][7] =
        json!({"period_id": members[7].1, "status": "present", "starts_at": "12:00", "ends_at": "08:00"});
    let (status, problem) = coach.mark_day(group_id, DAY, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let codes = field_codes(&problem);
    for expected in [
        ("entries[3].absence_reason", "required"),
        ("entries[4].hours", "out_of_range"),
        ("entries[5].note", "required"),
        ("entries[6].period_id", "duplicate"),
        ("entries[7].ends_at", "before_start"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {codes:?}"
        );
    }
    assert_eq!(w.app.count(&versions).await, 1);

    // More than 500 marks at once is refused.
    let mut too_many = body["entries"].as_array().unwrap().clone();
    too_many.push(json!({"period_id": Uuid::now_v7(), "status": "present"}));
    let (status, problem) = coach.mark_day(group_id, DAY, &json!({"entries": too_many})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("entries".to_owned(), "too_many".to_owned())]
    );
    assert_eq!(w.app.count(&stored).await, 500);
}

#[tokio::test]
async fn corrections_keep_history_and_the_rules_warn_and_refuse() {
    let w = world("Korjauskunta").await;
    let coach = w.coach();
    let manager = w.manager();
    let members = clients_with_periods(&w, 3, "Korjattava", "2026-01-05").await;
    let late = clients_with_periods(&w, 1, "Myöhäinen", "2026-11-03").await;
    let (status, first) = coach
        .mark_day(
            w.org.unit_id,
            DAY,
            &json!({"entries": [
                {"period_id": members[0].1, "status": "present", "starts_at": "08:00", "ends_at": "17:00"},
                {"period_id": members[1].1, "status": "present", "hours": 5},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // Hours from the times; nine hours is more than a KTT day holds: saved, with a warning.
    assert_eq!(first["rows"][0]["record"]["hours"], 9.0);
    assert_eq!(warning_codes(&first["rows"][0]), vec!["ktt_hours_per_day"]);
    assert_eq!(first["rows"][1]["warnings"], json!([]));

    // A day outside a period is refused with its row; the rest is not stored.
    let (status, problem) = coach
        .mark_day(
            w.org.unit_id,
            DAY,
            &json!({"entries": [
                {"period_id": members[2].1, "status": "present", "hours": 4},
                {"period_id": late[0].1, "status": "present", "hours": 4},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![("entries[1].period_id".to_owned(), "outside_period".to_owned())]
    );
    let (_, sheet) = coach.sheet(w.org.unit_id, DAY).await;
    assert!(
        sheet["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["period_id"] != late[0].1.as_str()),
        "a period not yet begun is not on the day's sheet"
    );
    let third = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period_id"] == members[2].1.as_str())
        .unwrap();
    assert!(third["record"].is_null(), "nothing stored");

    // Presence cannot be marked ahead; a planned holiday can.
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    let (status, problem) = coach
        .mark_day(
            w.org.unit_id,
            tomorrow,
            &json!({"entries": [{"period_id": members[2].1, "status": "present"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("entries[0].status".to_owned(), "in_future".to_owned())]
    );
    let (status, _) = coach
        .mark_day(
            w.org.unit_id,
            tomorrow,
            &json!({"entries": [{"period_id": members[2].1, "status": "absent",
                                 "absence_reason": "holiday"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // A correction and a removal keep the previous values in the rectification history.
    let (status, corrected) = coach
        .mark_day(
            w.org.unit_id,
            DAY,
            &json!({"entries": [
                {"period_id": members[0].1, "status": "absent", "absence_reason": "sick"},
                {"period_id": members[1].1, "status": "unmarked"},
            ], "reason": "Merkitty väärälle asiakkaalle"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{corrected}");
    assert_eq!(corrected["changed"], 2);
    assert_eq!(corrected["rows"][0]["record"]["version"], 2);
    assert!(corrected["rows"][1]["record"].is_null());
    let (status, timeline) = manager.changes(&members[0].0).await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    let change = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["record_type"] == "attendance")
        .unwrap_or_else(|| panic!("no attendance change in {timeline}"));
    assert_eq!(change["record_type"], "attendance");
    assert_eq!(change["reason"], "Merkitty väärälle asiakkaalle");
    assert_eq!(change["previous"]["status"], "present");
    assert_eq!(change["previous"]["hours"], 9.0);
    let (_, removed) = manager.changes(&members[1].0).await;
    let removal = removed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["record_type"] == "attendance")
        .unwrap_or_else(|| panic!("no attendance change in {removed}"));
    assert_eq!(removal["previous"]["status"], "present");

    // A coach of another unit may not mark this unit's day.
    let outsider = w.sign_in_at(&[Role::Coach], &[w.org.other_unit_id]).await;
    let (status, _) = outsider
        .mark_day(
            w.org.unit_id,
            DAY,
            &json!({"entries": [{"period_id": members[2].1, "status": "present"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A group takes only its unit's periods.
    let (status, problem) = manager
        .create_group(&json!({"unit_id": w.org.other_unit_id, "name": "Väärä", "period_ids": [members[0].1]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("period_ids[0]".to_owned(), "other_unit".to_owned())]
    );
}

#[tokio::test]
async fn regularity_and_the_calendar_skip_the_holidays_of_spring_and_midsummer() {
    let w = world("Säännöllisyyskunta").await;
    let coach = w.coach();
    let members = clients_with_periods(&w, 1, "Säännöllinen", "2025-01-01").await;
    let (client, period) = &members[0];
    for (day, mark) in [
        ("2025-04-15", json!({"status": "present", "hours": 6})),
        ("2025-04-16", json!({"status": "present", "hours": 6})),
        ("2025-05-28", json!({"status": "present", "hours": 5.5})),
        (
            "2025-06-19",
            json!({"status": "absent", "absence_reason": "sick"}),
        ),
    ] {
        let mut entry = mark.clone();
        entry["period_id"] = json!(period);
        let (status, body) = coach
            .mark_day(w.org.unit_id, day, &json!({"entries": [entry]}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // April–June 2025: 65 weekdays less Good Friday, Easter Monday, May Day, Ascension Day
    // and Midsummer Eve.
    let (status, figures) = coach
        .get(&format!(
            "/api/v1/periods/{period}/regularity?from=2025-04-01&to=2025-06-30"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    let total = &figures["total"];
    assert_eq!(total["planned_days"], 60);
    assert_eq!(total["present_days"], 3);
    assert_eq!(total["present_hours"], 17.5);
    assert_eq!(total["absences"]["sick"], 1);
    assert_eq!(total["attendance_percentage"], 5.0);
    assert_eq!(total["unmarked_planned_days"], 56);
    let (_, by_client) = coach
        .get(&format!(
            "/api/v1/clients/{client}/regularity?from=2025-04-01&to=2025-06-30"
        ))
        .await;
    assert_eq!(by_client["total"], figures["total"]);
    let (status, unit) = coach
        .get(&format!(
            "/api/v1/units/{}/regularity?month=2025-05",
            w.org.unit_id
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{unit}");
    assert_eq!(unit["total"]["planned_days"], 20);
    assert_eq!(unit["periods"][0]["last_name"], "Säännöllinen 001");

    // The month view: every day, Good Friday a holiday and not planned.
    let (status, april) = coach
        .get(&format!("/api/v1/periods/{period}/attendance?month=2025-04"))
        .await;
    assert_eq!(status, StatusCode::OK, "{april}");
    let days = april["days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    let good_friday = &days[17];
    assert_eq!(good_friday["date"], "2025-04-18");
    assert_eq!(good_friday["holiday"]["code"], "good_friday");
    assert_eq!(good_friday["periods"][0]["planned"], false);
    assert_eq!(days[14]["periods"][0]["record"]["status"], "present");
    assert_eq!(april["regularity"]["planned_days"], 20);

    // An interim report pre-fills its attendance section from these records.
    let (status, report) = coach
        .post(
            &format!("/api/v1/periods/{period}/reports"),
            &json!({"kind": "interim"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let summary = report["sections"]["attendance_summary"]
        .as_str()
        .unwrap_or_default();
    assert!(summary.contains("läsnä 3 päivää"), "{summary}");
    assert!(summary.contains("sairaus 1"), "{summary}");

    // Bad ranges and months are refused.
    for bad in [
        format!("/api/v1/periods/{period}/regularity?from=2025-06-30&to=2025-04-01"),
        format!("/api/v1/periods/{period}/attendance?month=2025-13"),
        format!("/api/v1/periods/{period}/attendance?month=25-04"),
    ] {
        assert_eq!(coach.get(&bad).await.0, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn the_allowance_pays_five_days_a_week_and_goes_out_as_a_disclosure() {
    let w = world("Korvauskunta").await;
    let coach = w.coach();
    let manager = w.manager();
    let members = clients_with_periods(&w, 1, "Korvattava", "2025-09-01").await;
    let (client, period) = &members[0];
    // Present Monday to Saturday of ISO week 45 of 2025, and Monday 29.9. to Saturday 4.10.
    let days = [
        "2025-09-29",
        "2025-09-30",
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-04",
        "2025-11-03",
        "2025-11-04",
        "2025-11-05",
        "2025-11-06",
        "2025-11-07",
        "2025-11-08",
    ];
    for day in days {
        let (status, body) = coach
            .mark_day(
                w.org.unit_id,
                day,
                &json!({"entries": [{"period_id": period, "status": "present", "hours": 5}]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if day == "2025-11-08" {
            assert_eq!(
                warning_codes(&body["rows"][0]),
                vec!["more_days_than_scheduled"],
                "six days on a five-day schedule"
            );
        }
    }
    let report = |month: &str| {
        let path = format!("/api/v1/allowances?month={month}");
        let manager = manager.clone();
        async move { manager.get(&path).await }
    };
    let (status, november) = report("2025-11").await;
    assert_eq!(status, StatusCode::OK, "{november}");
    let row = &november["rows"][0];
    assert_eq!(row["client_id"], client.as_str());
    assert_eq!(
        (row["participation_days"].as_i64(), row["payable_days"].as_i64()),
        (Some(6), Some(5))
    );
    assert_eq!(
        (row["rate_cents"].as_i64(), row["total_cents"].as_i64()),
        (Some(900), Some(4500))
    );
    // The week of 29.9.–4.10. paid two days in September: October pays three of its four.
    let (_, october) = report("2025-10").await;
    assert_eq!(
        (
            october["rows"][0]["participation_days"].as_i64(),
            october["rows"][0]["payable_days"].as_i64()
        ),
        (Some(4), Some(3))
    );
    let (_, september) = report("2025-09").await;
    assert_eq!(september["rows"][0]["payable_days"], 2);

    // The rate is the organisation's setting.
    let admin = w.sign_in(&[Role::Admin]).await;
    let (status, settings) = admin
        .update_organisation(&json!({"allowance_rate_cents": 1050}))
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    let (_, november) = report("2025-11").await;
    assert_eq!(november["total_cents"], 5250);

    // CSV for Excel in Finland.
    let response = manager
        .request(Method::GET, "/api/v1/allowances?month=2025-11&format=csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Sukunimi;Etunimet;"), "{text}");
    assert!(text.contains("Korvattava 001;Testi;"), "{text}");
    assert!(text.contains(";6;5;10,50;52,50"), "{text}");

    let exports = w
        .app
        .events_where(
            w.org.id,
            "action = 'export' AND resource_type = 'allowance_report'",
        )
        .await;
    assert_eq!(exports.len(), 1, "{exports:?}");
    assert_eq!(exports[0]["client_ids"], json!([client]));
    assert_eq!(exports[0]["resource_ids"], json!([period]));

    // A coach may not, and is told which permission (and role) it takes; an integrator
    // must name the law, and the report is a disclosure.
    let (status, refused) = coach.get("/api/v1/allowances?month=2025-11").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["type"], "urn:polku:problem:forbidden");
    assert_eq!(refused["permission"], "allowances_read", "{refused}");
    assert_eq!(
        refused["detail"],
        "This needs the permission 'allowances_read', which the role manager grants \
         (API scope allowances:read); ask your admin."
    );
    // An integration that reaches clients is a manager's to create, not the admin's.
    let (status, created) = w
        .manager()
        .create_api_client(&json!({"name": "Palkanlaskenta", "scopes": ["allowances:read"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let integrator = &w.app.integrator_token(&created).await;
    let (status, problem) = w.app.get_as(integrator, "/api/v1/allowances?month=2025-11").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("legal_basis".to_owned(), "required".to_owned())]
    );
    let (status, _) = w
        .app
        .get_as(integrator, "/api/v1/allowances?month=2025-11&legal_basis=Laki%20kuntouttavasta%20ty%C3%B6toiminnasta%20189%2F2001")
        .await;
    assert_eq!(status, StatusCode::OK);
    let disclosures = w
        .app
        .events_where(
            w.org.id,
            "category = 'disclosure' AND resource_type = 'allowance_report'",
        )
        .await;
    assert_eq!(disclosures.len(), 1, "{disclosures:?}");
    let event = &disclosures[0];
    assert_eq!(event["recipient"], "Palkanlaskenta");
    assert_eq!(
        event["legal_basis"],
        "Laki kuntouttavasta työtoiminnasta 189/2001"
    );
    assert_eq!(event["client_ids"], json!([client]));

    // A unit closed since still reports the months it was open (an unknown one is 422).
    w.app
        .superuser()
        .await
        .batch_execute(&format!(
            "UPDATE units SET closed_at = now() WHERE id = '{}'",
            w.org.unit_id
        ))
        .await
        .unwrap();
    let (status, closed) = manager
        .get(&format!(
            "/api/v1/allowances?month=2025-11&unit_id={}",
            w.org.unit_id
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["rows"][0]["payable_days"], 5);
    let (status, unknown) = manager
        .get(&format!(
            "/api/v1/allowances?month=2025-11&unit_id={}",
            Uuid::now_v7()
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&unknown),
        vec![("unit_id".to_owned(), "unknown_unit".to_owned())]
    );
}
