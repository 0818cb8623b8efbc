//! The client registry: validation that stores nothing on bad input, identity codes and
//! bank accounts encrypted and masked, units and the sensitive grant enforced in every
//! endpoint, search, optimistic concurrency and the rectification history.

use diesel_async::RunQueryDsl;
use polku::permissions::Role;
use polku_tests::fixtures::field_codes;
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn world() -> World {
    World::builder("Asiakaskunta")
        .with(&[
            Staff::OtherCoach,
            Staff::SensitiveCoach,
            Staff::Manager,
            Staff::Dpo,
        ])
        .spawn()
        .await
}

async fn count_clients(w: &World) -> i64 {
    w.app.count("SELECT count(*) AS n FROM clients").await
}

#[tokio::test]
async fn a_full_client_is_stored_with_codes_masked_and_derived_values() {
    let w = world().await;
    let coach = w.coach();
    let (status, body) = coach
        .create_client(&json!({
            "unit_id": w.org.unit_id, "first_names": "Åsa Märta", "last_name": "Öhman",
            "personal_identity_code": "010594Y9032", "street_address": "Mannerheimintie 1",
            "postal_code": "00100", "post_office": "Helsinki", "home_municipality": "Helsinki",
            "phone": "040 123 4567", "email": "asa@example.fi", "iban": "fi21 1234 5600 0007 85",
            "language": "sv", "mother_tongue": "sv", "nationality": "fi", "profession": "Kokki",
            "education_level": "vocational", "referrer": "employment_services",
        }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["personal_identity_code"], "010594Y****");
    assert_eq!(body["personal_identity_code_temporary"], true);
    assert_eq!(body["birth_date"], "1994-05-01");
    assert_eq!(body["gender"], "male", "from the registered sex");
    assert_eq!(body["iban"], "FI** **** **** **** 85");
    assert_eq!(body["phone"], "+358401234567");
    assert_eq!(body["nationality"], "FI");
    assert_eq!(body["status"], "active");
    assert_eq!(body["education_level"], "vocational");
    assert!(body.get("trade_union").is_none());

    // A client without a code is allowed with a date of birth; statistics fields default
    // to unknown.
    let (status, body) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "John", "last_name": "Smith",
                    "birth_date": "1988-03-04"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["personal_identity_code"], Value::Null);
    for field in [
        "gender",
        "education_level",
        "referrer",
        "mother_tongue",
        "nationality",
    ] {
        assert_eq!(body[field], "unknown", "{field}");
    }
}

#[tokio::test]
async fn bad_input_is_422_with_field_codes_and_stores_nothing() {
    let w = world().await;
    let coach = w.coach();
    let existing = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "A", "last_name": "B",
                    "personal_identity_code": "131052-308T"}),
        )
        .await;
    assert_eq!(existing.0, StatusCode::CREATED, "{}", existing.1);
    let before = count_clients(&w).await;
    let base = json!({"unit_id": w.org.unit_id, "first_names": "Testi", "last_name": "Asiakas"});
    let long = "x".repeat(201);
    for (extra, field, code) in [
        (
            json!({"personal_identity_code": "131052-308U"}),
            "personal_identity_code",
            "check_character",
        ),
        (
            json!({"personal_identity_code": "300294-9030"}),
            "personal_identity_code",
            "date",
        ),
        (
            json!({"personal_identity_code": "010594y9032"}),
            "personal_identity_code",
            "century_sign",
        ),
        (
            json!({"personal_identity_code": "131052-308T"}),
            "personal_identity_code",
            "duplicate",
        ),
        (
            json!({"birth_date": "1990-01-01", "last_name": long}),
            "last_name",
            "too_long",
        ),
        (
            json!({"birth_date": "1990-01-01", "email": "ei-osoite"}),
            "email",
            "format",
        ),
        (
            json!({"birth_date": "1990-01-01", "phone": "12ab"}),
            "phone",
            "format",
        ),
        (
            json!({"birth_date": "1990-01-01", "iban": "FI2112345600000786"}),
            "iban",
            "checksum",
        ),
        (
            json!({"birth_date": "1990-01-01", "nationality": "Suomi"}),
            "nationality",
            "format",
        ),
        (json!({}), "birth_date", "required"),
        (json!({"birth_date": "2190-01-01"}), "birth_date", "out_of_range"),
        (
            json!({"personal_identity_code": "010594Y9032", "birth_date": "1994-05-02"}),
            "birth_date",
            "mismatch",
        ),
        (
            json!({"birth_date": "1990-01-01", "trade_union": "PAM"}),
            "trade_union",
            "sensitive",
        ),
        (
            json!({"birth_date": "1990-01-01", "favourite_colour": "blue"}),
            "favourite_colour",
            "unknown_field",
        ),
    ] {
        let mut body = base.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (status, problem) = coach.create_client(&body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {problem}");
        assert!(
            field_codes(&problem).contains(&(field.to_owned(), code.to_owned())),
            "{extra}: {problem}"
        );
        assert!(
            !problem.to_string().contains("308T"),
            "no echo of codes: {problem}"
        );
    }
    // Several problems are reported at once.
    let (_, problem) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "", "last_name": "B",
                    "email": "x", "phone": "y", "birth_date": "1990-01-01"}),
        )
        .await;
    assert_eq!(field_codes(&problem).len(), 3, "{problem}");
    assert_eq!(count_clients(&w).await, before, "nothing stored");

    // The same rules hold for a change, which then changes nothing.
    let id = existing.1["id"].as_str().unwrap();
    for body in [
        json!({"email": "ei"}),
        json!({"personal_identity_code": "010594Y9033"}),
        json!({"birth_date": "1950-01-01"}),
        json!({"last_name": ""}),
    ] {
        let (status, problem) = coach.update_client(&id, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
    }
    let (_, after) = coach.read_client(&id).await;
    assert_eq!(after["version"], 1);
    assert_eq!(after["personal_identity_code"], "131052-****");
}

#[tokio::test]
async fn revealing_needs_the_permission_and_shows_the_whole_values() {
    let w = world().await;
    let coach = w.coach();
    let (_, body) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "A", "last_name": "B",
                    "personal_identity_code": "020594X903P", "iban": "FI4950009420028730"}),
        )
        .await;
    let id = body["id"].as_str().unwrap();
    let (status, body) = coach
        .get(&format!(
            "/api/v1/clients/{id}?reveal=personal_identity_code,iban"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["personal_identity_code"], "020594X903P");
    assert_eq!(body["iban"], "FI49 5000 9420 0287 30");
    let (status, body) = coach.get(&format!("/api/v1/clients/{id}?reveal=phone")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The DPO reads no clients, revealed or not.
    let (status, _) = w
        .dpo()
        .get(&format!("/api/v1/clients/{id}?reveal=personal_identity_code"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The database holds no identity code, bank account, trade union or sensitive history in
/// plain text: the raw tables (and the rectification history) are searched for them.
#[tokio::test]
async fn the_database_holds_no_plaintext_codes_accounts_or_sensitive_text() {
    let w = world().await;
    let sensitive = w.sensitive_coach();
    let (status, body) = sensitive
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Salla", "last_name": "Salainen",
                    "personal_identity_code": "010516B903X", "iban": "FI21 1234 5600 0007 85",
                    "trade_union": "Ammattiliitto Pro"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["trade_union"], "Ammattiliitto Pro");
    let id = body["id"].as_str().unwrap().to_owned();
    for (kind, text) in [
        ("health", "Diabetes tyyppi 1, insuliinihoito"),
        ("substance_use", "Alkoholin käyttö, katkaisuhoito 2019"),
    ] {
        let (status, body) = sensitive
            .add_history(&id, &json!({"kind": kind, "description": text}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["description"], text);
    }
    // A correction keeps the previous values, still encrypted.
    let (status, body) = sensitive
        .update_client(
            &id,
            &json!({"personal_identity_code": "010501E9032", "iban": "FI4950009420028730",
                    "trade_union": "Ammattiliitto Jyty", "reason": "Väärä henkilötunnus"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    #[derive(diesel::QueryableByName)]
    struct Dump {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    let mut db = w.app.superuser().await;
    let dump: Vec<Dump> = diesel::sql_query(
        "SELECT row_to_json(t)::text AS text FROM clients t
         UNION ALL SELECT row_to_json(t)::text FROM client_history_entries t
         UNION ALL SELECT row_to_json(t)::text FROM client_changes t
         UNION ALL SELECT row_to_json(t)::text FROM audit_events t",
    )
    .load(&mut db)
    .await
    .unwrap();
    let all: String = dump.into_iter().map(|row| row.text).collect();
    assert!(all.contains("Salainen"), "the dump has the rows");
    for secret in [
        "010516B903X",
        "010501E9032",
        "903X",
        "FI2112345600000785",
        "12345600000785",
        "5000942002873",
        "Ammattiliitto",
        "Diabetes",
        "insuliini",
        "katkaisuhoito",
    ] {
        assert!(!all.contains(secret), "{secret} is stored in plain text");
    }
}

/// A user without the sensitive grant never receives health or substance-use entries or
/// the trade union, in any endpoint or list.
#[tokio::test]
async fn special_category_data_never_reaches_a_user_without_the_grant() {
    let w = world().await;
    let sensitive = w.sensitive_coach();
    let (_, body) = sensitive
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Terho", "last_name": "Terveys",
                    "birth_date": "1970-02-02", "trade_union": "JHL"}),
        )
        .await;
    let id = body["id"].as_str().unwrap().to_owned();
    let mut sensitive_entry = String::new();
    for (kind, text) in [
        ("education", "Ammattikoulu, kokki"),
        ("health", "Selkävaiva"),
        ("substance_use", "Päihdekuntoutus"),
    ] {
        let (status, body) = sensitive
            .add_history(&id, &json!({"kind": kind, "description": text}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        if kind == "health" {
            sensitive_entry = body["id"].as_str().unwrap().to_owned();
        }
    }
    let (status, _) = sensitive
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{id}/history/{sensitive_entry}"),
            &json!({"description": "Selkävaiva, leikattu 2020"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = sensitive.update_client(&id, &json!({"trade_union": "Pro"})).await;
    assert_eq!(status, StatusCode::OK);

    // The grant holder sees everything.
    let (_, history) = sensitive.get(&format!("/api/v1/clients/{id}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 3);

    // Everybody else: not a trace, whatever they call.
    let coach = w.coach();
    let manager = w.manager();
    let mut seen = String::new();
    for (who, path) in [
        (&coach, format!("/api/v1/clients/{id}")),
        (&coach, format!("/api/v1/clients/{id}/history")),
        (&coach, "/api/v1/clients".to_owned()),
        (&manager, format!("/api/v1/clients/{id}")),
        (&manager, format!("/api/v1/clients/{id}/history")),
        (&manager, format!("/api/v1/clients/{id}/changes")),
        (&manager, "/api/v1/clients?q=terveys".to_owned()),
    ] {
        let (status, body) = who.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        seen.push_str(&body.to_string());
    }
    let (_, found) = coach.search_clients(&json!({"q": "Terveys"})).await;
    seen.push_str(&found.to_string());
    assert!(seen.contains("Ammattikoulu"), "ordinary history is shown");
    for secret in [
        "Selkä",
        "Päihde",
        "health",
        "substance_use",
        "JHL",
        "Pro\"",
        "trade_union",
    ] {
        assert!(
            !seen.contains(secret),
            "{secret} reached a user without the grant: {seen}"
        );
    }
    let (_, history) = coach.get(&format!("/api/v1/clients/{id}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 1, "omitted, not blanked");
    // Writing or correcting a sensitive entry without the grant is refused or not found.
    let (status, _) = coach
        .add_history(&id, &json!({"kind": "health", "description": "x"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = coach
        .send(
            Method::PATCH,
            &format!("/api/v1/clients/{id}/history/{sensitive_entry}"),
            &json!({"description": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_coach_can_neither_see_nor_find_another_units_client() {
    let w = world().await;
    let coach = w.coach();
    let (_, body) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Aino", "last_name": "Yksikkö",
                    "personal_identity_code": "131052-308T", "phone": "0401112222",
                    "email": "aino@example.fi"}),
        )
        .await;
    let id = body["id"].as_str().unwrap();
    let other = w.other_coach();
    let (status, body) = other.read_client(&id).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(!body.to_string().contains("Yksikkö"));
    let (status, _) = other.get(&format!("/api/v1/clients/{id}/history")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = other.get("/api/v1/clients?q=yksikko").await;
    assert_eq!(list["items"], json!([]));
    for search in [
        json!({"q": "Yksikkö"}),
        json!({"personal_identity_code": "131052-308T"}),
        json!({"phone": "040 111 2222"}),
        json!({"email": "AINO@example.fi"}),
    ] {
        let (status, found) = other.search_clients(&search).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["items"], json!([]), "{search}");
        // The coach of the client's unit finds it the same way.
        let (_, found) = coach.search_clients(&search).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{search}");
    }
    let (status, _) = other.update_client(&id, &json!({"last_name": "X"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn names_are_found_by_prefix_without_case_or_accents_and_despite_typos() {
    let w = world().await;
    let coach = w.coach();
    for (first, last) in [
        ("Äijä", "Mäkinen"),
        ("Åke", "Öberg"),
        ("Jussi", "Virtanen"),
        ("Juha", "Virtanen"),
        ("Liisa", "Korhonen"),
    ] {
        let (status, body) = coach
            .create_client(
                &json!({"unit_id": w.org.unit_id, "first_names": first, "last_name": last,
                        "birth_date": "1990-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let names = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                format!(
                    "{} {}",
                    item["first_names"].as_str().unwrap(),
                    item["last_name"].as_str().unwrap()
                )
            })
            .collect()
    };
    for (query, expected) in [
        ("mäki", vec!["Äijä Mäkinen"]),
        ("MAKI", vec!["Äijä Mäkinen"]),
        ("oberg", vec!["Åke Öberg"]),
        ("Öberg", vec!["Åke Öberg"]),
        ("virtanen", vec!["Juha Virtanen", "Jussi Virtanen"]),
        ("virtasen", vec!["Juha Virtanen", "Jussi Virtanen"]),
        ("korhoinen", vec!["Liisa Korhonen"]),
        ("liisa", vec!["Liisa Korhonen"]),
        ("zzz", vec![]),
        ("%", vec![]),
    ] {
        let (status, page) = coach
            .get(&format!("/api/v1/clients?q={}", urlencode(query)))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        assert_eq!(names(&page["items"]), expected, "{query}");
    }
    // Keyset pages in a stable name order, without gaps or repeats.
    let seen = names(&json!(coach.all_pages("/api/v1/clients?limit=2").await));
    assert_eq!(
        seen,
        [
            "Liisa Korhonen",
            "Äijä Mäkinen",
            "Åke Öberg",
            "Juha Virtanen",
            "Jussi Virtanen"
        ]
    );
    // A name search pages by the same keys, and filters by status and unit.
    let (_, first) = coach.get("/api/v1/clients?q=virtasen&limit=1").await;
    assert_eq!(names(&first["items"]), ["Juha Virtanen"]);
    let next = first["next_cursor"].as_str().unwrap();
    let (_, second) = coach
        .get(&format!("/api/v1/clients?q=virtasen&limit=1&cursor={next}"))
        .await;
    assert_eq!(names(&second["items"]), ["Jussi Virtanen"]);
    assert!(second["next_cursor"].is_null(), "{second}");
    let (_, closed) = coach.get("/api/v1/clients?q=virtanen&status=closed").await;
    assert_eq!(names(&closed["items"]), Vec::<String>::new());
    let (_, active) = coach
        .get(&format!(
            "/api/v1/clients?q=virtanen&status=active&unit_id={}",
            w.org.unit_id
        ))
        .await;
    assert_eq!(names(&active["items"]), ["Juha Virtanen", "Jussi Virtanen"]);
    // Page by page, a search returns what one page does: through the prefix of the last
    // name ("virta"), of the first name ("j", "ä"), and dictionary words ("virtasen").
    for (query, expected) in [
        ("virta", vec!["Juha Virtanen", "Jussi Virtanen"]),
        ("j", vec!["Juha Virtanen", "Jussi Virtanen"]),
        // Folded, "ä" is "a": Äijä and Åke.
        ("ä", vec!["Äijä Mäkinen", "Åke Öberg"]),
        ("virtasen", vec!["Juha Virtanen", "Jussi Virtanen"]),
    ] {
        let seen = coach
            .all_pages(&format!("/api/v1/clients?q={}&limit=1", urlencode(query)))
            .await;
        assert_eq!(names(&json!(seen)), expected, "{query}");
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Two writers with the same `If-Match`: exactly one wins, the other gets 412, and the
/// loser's change is nowhere.
#[tokio::test]
async fn concurrent_updates_with_the_same_version_let_exactly_one_win() {
    let w = world().await;
    let coach = w.coach();
    let id = coach.client(w.org.unit_id, "Kilpa").await;
    for round in 0..5 {
        let (_, current) = coach.read_client(&id).await;
        let version = current["version"].as_i64().unwrap();
        let send = |name: String| {
            coach
                .request(Method::PATCH, &format!("/api/v1/clients/{id}"))
                .header("If-Match", format!("\"{version}\""))
                .json(&json!({"last_name": name}))
                .send()
        };
        let (a, b) = tokio::join!(send(format!("A{round}")), send(format!("B{round}")));
        let mut statuses = [a.unwrap().status(), b.unwrap().status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::PRECONDITION_FAILED],
            "round {round}"
        );
        let (_, after) = coach.read_client(&id).await;
        assert_eq!(after["version"].as_i64().unwrap(), version + 1);
    }
}

#[tokio::test]
async fn closing_and_reopening_keep_the_rectification_history() {
    let w = world().await;
    let coach = w.coach();
    let id = coach.client(w.org.unit_id, "Lopettaja").await;
    let path = format!("/api/v1/clients/{id}");
    let (status, problem) = coach
        .post(
            &format!("{path}/close"),
            &json!({"closed_on": "2999-01-01", "reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, closed) = coach
        .post(
            &format!("{path}/close"),
            &json!({"closed_on": "2026-02-28", "reason": "Muutti toiselle paikkakunnalle"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_on"], "2026-02-28");
    let (status, _) = coach
        .post(
            &format!("{path}/close"),
            &json!({"closed_on": "2026-02-28", "reason": "Uudestaan"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, closed_list) = coach.get("/api/v1/clients?status=closed").await;
    assert_eq!(closed_list["items"].as_array().unwrap().len(), 1);
    let (status, reopened) = coach
        .post(&format!("{path}/reopen"), &json!({"reason": "Palasi"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (reopened["status"].as_str(), &reopened["closed_on"]),
        (Some("active"), &Value::Null)
    );

    // The timeline, for the manager: who, when, the previous values and the reasons.
    let (status, timeline) = w.manager().get(&format!("{path}/changes")).await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    let timeline = timeline.as_array().unwrap();
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0]["previous"]["status"], "active");
    assert_eq!(timeline[0]["reason"], "Muutti toiselle paikkakunnalle");
    assert_eq!(timeline[1]["previous"]["status"], "closed");
    assert_eq!(timeline[1]["previous"]["closed_on"], "2026-02-28");
    assert_eq!(timeline[1]["reason"], "Palasi");
    assert!(timeline[0]["changed_by_user_id"].is_string());
    assert_eq!(timeline[0]["changed_by_name"], "Testi Käyttäjä", "{timeline:?}");
    assert!(timeline[0]["changed_by_api_client_id"].is_null());
    // A coach may not read the timeline.
    let (status, _) = coach.get(&format!("{path}/changes")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn corrections_show_previous_codes_masked_in_the_timeline() {
    let w = world().await;
    let coach = w.coach();
    let (_, body) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Kari", "last_name": "Korjattava",
                    "personal_identity_code": "131052-308T", "iban": "FI2112345600000785"}),
        )
        .await;
    let id = body["id"].as_str().unwrap();
    let (status, body) = coach
        .update_client(
            &id,
            &json!({"personal_identity_code": "010594Y9032", "iban": null, "reason": "Väärä tunnus"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["birth_date"], "1994-05-01", "the date follows the code");
    assert_eq!(body["iban"], Value::Null);
    let (_, timeline) = w.dpo().changes(&id).await;
    let change = &timeline[0];
    assert_eq!(
        change["fields"],
        json!(["personal_identity_code", "birth_date", "iban"])
    );
    assert_eq!(change["previous"]["personal_identity_code"], "131052-****");
    assert_eq!(change["previous"]["iban"], "FI** **** **** **** 85");
    assert_eq!(change["previous"]["birth_date"], "1952-10-13");
    assert_eq!(change["reason"], "Väärä tunnus");
    // The old code is free again; the new one is taken.
    let (status, _) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "U", "last_name": "U",
                    "personal_identity_code": "131052-308T"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "U", "last_name": "U",
                    "personal_identity_code": "010594Y9032"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    // Another organisation may register the same person.
    let other = w.app.organisation("Toinen kunta").await;
    let coach = w
        .app
        .user_in_units(&other, &[Role::Coach], &[other.unit_id])
        .await;
    let coach = w.app.session(&coach).await;
    let (status, _) = w
        .app
        .by(&coach)
        .create_client(
            &json!({"unit_id": other.unit_id, "first_names": "U", "last_name": "U",
                    "personal_identity_code": "010594Y9032"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}
