//! The `polku` binary as an operator runs it: embedded database start, refusal of a
//! second server on the same data directory, clean shutdown, reuse of the data.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test by panicking"
)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

fn polku(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_polku"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("POLKU_DATA_DIR", data_dir)
        .env("POLKU_LISTEN", "127.0.0.1:0")
        .env("POLKU_FRONTEND_DIR", data_dir.join("no-frontend"))
        .env("POLKU_LOG", "warn")
        .stdin(Stdio::null());
    command
}

/// Starts `polku serve` and waits for its "running at" line; returns the child and URL.
fn serve(data_dir: &Path) -> (Child, String) {
    let mut child = polku(data_dir)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    (child, url)
}

fn postmaster_pid(data_dir: &Path) -> i32 {
    let text = std::fs::read_to_string(data_dir.join("postgres/postmaster.pid")).unwrap();
    text.lines().next().unwrap().trim().parse().unwrap()
}

fn alive(pid: i32) -> bool {
    kill(Pid::from_raw(pid), None).is_ok()
}

fn wait_exit(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "polku did not exit in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn get(url: &str) -> u16 {
    // A tiny HTTP/1.0 GET keeps this test free of client dependencies.
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn serve_refuses_a_second_server_stops_cleanly_and_reuses_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let (mut first, url) = serve(&data);
    assert_eq!(get(&format!("{url}/readyz")), 200);
    let postgres = postmaster_pid(&data);
    assert!(alive(postgres));
    // Unix socket in the data directory only; the cluster has no TCP listener.
    assert!(data.join("run/.s.PGSQL.5432").exists());
    let conf = std::fs::read_to_string(data.join("postgres/postmaster.pid")).unwrap();
    assert!(!conf.contains("127.0.0.1") && !conf.contains("0.0.0.0"), "{conf}");

    let second = polku(&data).arg("serve").output().unwrap();
    assert!(
        !second.status.success(),
        "a second server on the same data directory must fail"
    );
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(message.contains("already running"), "{message}");
    assert!(
        alive(postgres),
        "the refused second server must not touch the first one's database"
    );
    assert_eq!(get(&format!("{url}/readyz")), 200);

    kill(Pid::from_raw(i32::try_from(first.id()).unwrap()), Signal::SIGTERM).unwrap();
    assert!(wait_exit(&mut first, Duration::from_secs(60)).success());
    assert!(!alive(postgres), "PostgreSQL stops with the server");

    // Same data directory again: no initdb, the database is reused.
    let (mut again, url) = serve(&data);
    assert_eq!(get(&format!("{url}/readyz")), 200);
    let postgres = postmaster_pid(&data);
    kill(Pid::from_raw(i32::try_from(again.id()).unwrap()), Signal::SIGINT).unwrap();
    assert!(wait_exit(&mut again, Duration::from_secs(60)).success());
    assert!(!alive(postgres));
}

#[test]
fn a_missing_postgresql_installation_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = polku(&dir.path().join("data"))
        .arg("migrate")
        .env("POLKU_POSTGRES_BIN_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("apt-get install postgresql"), "{message}");
    assert!(message.contains("DATABASE_URL"), "{message}");
}

#[test]
fn openapi_prints_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let output = polku(dir.path()).arg("openapi").output().unwrap();
    assert!(output.status.success());
    let spec: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(spec["info"]["title"], "Polku API");
    assert!(spec["paths"]["/readyz"].is_object());
}

#[test]
fn unknown_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = polku(dir.path())
        .arg("migrate")
        .env("POLKU_LISTN", "127.0.0.1:1")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("listn"));
}

fn post_json(url: &str, body: &str) -> (u16, String) {
    call("POST", url, None, Some(body))
}

#[test]
fn operators_bootstrap_organisations_and_users_beside_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut server, url) = serve(&data);

    let output = polku(&data)
        .args(["admin", "create-organisation", "--name", "Esimerkkikunta"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let organisation = stdout.trim();
    assert_eq!(stdout, format!("{organisation}\n"), "the id alone on stdout");
    assert!(uuid::Uuid::parse_str(organisation).is_ok());

    let mut child = polku(&data)
        .args([
            "admin",
            "create-user",
            "--organisation",
            organisation,
            "--email",
            "Admin@Kunta.test",
        ])
        .args(["--role", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"korppi vaeltaa hiljaa sumussa\n")
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(uuid::Uuid::parse_str(String::from_utf8(output.stdout).unwrap().trim()).is_ok());

    let (status, body) = post_json(
        &format!("{url}/api/v1/auth/login"),
        r#"{"email": "admin@kunta.test", "password": "korppi vaeltaa hiljaa sumussa"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("access_token"));

    let output = polku(&data)
        .args([
            "admin",
            "create-user",
            "--organisation",
            organisation,
            "--email",
            "coach@kunta.test",
            "--role",
            "coach",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let link = String::from_utf8(output.stdout).unwrap();
    assert!(link.trim().contains("/set-password#token="), "{link}");

    let weak = polku(&data)
        .args([
            "admin",
            "create-user",
            "--organisation",
            organisation,
            "--email",
            "weak@kunta.test",
            "--role",
            "coach",
        ])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = {
        let mut weak = weak;
        use std::io::Write;
        weak.stdin.take().unwrap().write_all(b"salasana\n").unwrap();
        weak.wait_with_output().unwrap()
    };
    assert!(!output.status.success(), "a weak password is refused");

    kill(
        Pid::from_raw(i32::try_from(server.id()).unwrap()),
        Signal::SIGTERM,
    )
    .unwrap();
    assert!(wait_exit(&mut server, Duration::from_secs(60)).success());
}

#[test]
fn serve_demo_seeds_an_empty_installation_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = polku(&data)
        .args(["serve", "--demo"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Polku is running");
        printed.push(line);
        if done {
            break;
        }
    }
    let text = printed.join("\n");
    assert!(text.contains("DEMO"), "{text}");
    for login in [
        "admin@demo.polku.fi",
        "coach@demo.polku.fi",
        "kotoutus@demo.polku.fi",
        "manager@demo.polku.fi",
        "dpo@demo.polku.fi",
    ] {
        assert!(text.contains(login), "{login} in {text}");
    }
    // The working day's records, and how long making them took.
    assert!(text.contains("Demo data: 60 clients, "), "{text}");
    let saved = std::fs::read_to_string(data.join("demo-logins.txt")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(data.join("demo-logins.txt"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let admin_line = saved
        .lines()
        .find(|line| line.contains("admin@demo.polku.fi"))
        .unwrap();
    let password = admin_line.split_whitespace().last().unwrap();
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let (status, _) = post_json(
        &format!("{url}/api/v1/auth/login"),
        &format!(r#"{{"email": "admin@demo.polku.fi", "password": "{password}"}}"#),
    );
    assert_eq!(status, 200);
    // The coach sees the employment services' clients.
    let coach_line = saved
        .lines()
        .find(|line| line.trim_start().starts_with("coach@demo.polku.fi"))
        .unwrap();
    let (status, body) = post_json(
        &format!("{url}/api/v1/auth/login"),
        &format!(
            r#"{{"email": "coach@demo.polku.fi", "password": "{}"}}"#,
            coach_line.split_whitespace().last().unwrap()
        ),
    );
    assert_eq!(status, 200, "{body}");
    let token: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (status, body) = call(
        "GET",
        &format!("{url}/api/v1/clients?limit=100"),
        token["access_token"].as_str(),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 40);
    kill(Pid::from_raw(i32::try_from(child.id()).unwrap()), Signal::SIGTERM).unwrap();
    assert!(wait_exit(&mut child, Duration::from_secs(60)).success());

    // A second start does not seed again.
    let output = polku(&data)
        .args(["serve", "--demo"])
        .env("POLKU_PRODUCTION", "true")
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "demo data is refused in production mode"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("production"));
}

#[test]
fn the_server_seals_the_access_log_and_audit_verify_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let shipped = dir.path().join("shipped-heads.jsonl");
    let mut server = polku(&data)
        .env("POLKU_AUDIT_SEAL_INTERVAL_SECS", "1")
        .env(
            "POLKU_AUDIT_HEAD_COMMAND",
            format!("cat >> '{}'", shipped.display()),
        )
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("running at"), "{line}");

    let run = |args: &[&str]| {
        let output = polku(&data).args(args).output().unwrap();
        (output.status.success(), String::from_utf8(output.stdout).unwrap())
    };
    let (ok, organisation) = run(&["admin", "create-organisation", "--name", "Sinettikunta"]);
    assert!(ok);
    let organisation = organisation.trim().to_owned();
    let (ok, _) = run(&[
        "admin",
        "create-user",
        "--organisation",
        &organisation,
        "--email",
        "admin@sinetti.test",
        "--role",
        "admin",
    ]);
    assert!(ok);

    // The server's sealer chains the new events within a few seconds.
    let deadline = Instant::now() + Duration::from_secs(30);
    let report = loop {
        let (ok, out) = run(&["audit", "verify", "--organisation", &organisation]);
        assert!(ok, "{out}");
        assert!(out.contains("intact"), "{out}");
        if out.contains(", 0 not yet sealed)") && !out.contains("(0 events") {
            break out;
        }
        assert!(Instant::now() < deadline, "not sealed in time: {out}");
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        report.starts_with(&format!("organisation {organisation}: intact (")),
        "{report}"
    );

    let (ok, out) = run(&["audit", "verify", "--since", "2020-01-01"]);
    assert!(ok && out.contains(&organisation), "{out}");
    // The sealer exported the chain heads outside the database; they are all still there.
    let heads = data.join("audit-heads.jsonl");
    let exported = std::fs::read_to_string(&heads).unwrap();
    assert!(exported.contains(&organisation), "{exported}");
    let (ok, out) = run(&["audit", "verify", "--against", heads.to_str().unwrap()]);
    assert!(
        ok && out.contains(&format!("organisation {organisation}: intact")),
        "{out}"
    );
    let (ok, out) = run(&["audit", "maintain"]);
    assert!(ok && out.starts_with("partitions created 0, dropped 0"), "{out}");

    kill(
        Pid::from_raw(i32::try_from(server.id()).unwrap()),
        Signal::SIGTERM,
    )
    .unwrap();
    assert!(wait_exit(&mut server, Duration::from_secs(60)).success());
}

/// An HTTP/1.0 request (with a bearer token if given); returns status and body.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let body = body.unwrap_or_default();
    let authorization = token
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\n{authorization}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

/// `polku seed` makes valid, temporary-range data; `polku keys rotate` and
/// `polku keys reencrypt` move it to a new key while the server keeps serving it.
#[test]
fn seeded_data_survives_key_rotation_and_reencryption_while_the_server_runs() {
    use serde_json::Value;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut server, url) = serve(&data);
    let run = |args: &[&str]| {
        let output = polku(&data).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };

    let summary: Value = serde_json::from_str(&run(&[
        "seed",
        "--organisations",
        "2",
        "--clients",
        "401",
        "--seed",
        "9",
    ]))
    .unwrap();
    let organisations = summary["organisations"].as_array().unwrap();
    assert_eq!(organisations.len(), 2);
    assert_eq!(organisations[0]["clients"], 201);
    assert_eq!(organisations[1]["clients"], 200);
    let organisation = organisations[0]["id"].as_str().unwrap();
    let units: Vec<&str> = organisations[0]["unit_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|unit| unit.as_str().unwrap())
        .collect();

    let mut create = polku(&data)
        .args(["admin", "create-user", "--organisation", organisation])
        .args(["--email", "valmentaja@seed.test", "--role", "coach"])
        .args(units.iter().flat_map(|unit| ["--unit", unit]))
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = create.stdin.take().unwrap();
        stdin.write_all(b"kuikka sukeltaa syvaan jarveen\n").unwrap();
    }
    assert!(create.wait_with_output().unwrap().status.success());
    let (status, body) = post_json(
        &format!("{url}/api/v1/auth/login"),
        r#"{"email": "valmentaja@seed.test", "password": "kuikka sukeltaa syvaan jarveen"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let token: Value = serde_json::from_str(&body).unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();

    let (status, body) = call(
        "GET",
        &format!("{url}/api/v1/clients?limit=200"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 200);
    let id = page["items"][17]["id"].as_str().unwrap().to_owned();
    let reveal = format!("{url}/api/v1/clients/{id}?reveal=personal_identity_code,iban");
    let revealed = || -> (String, String) {
        let (status, body) = call("GET", &reveal, Some(&token), None);
        assert_eq!(status, 200, "{body}");
        let client: Value = serde_json::from_str(&body).unwrap();
        (
            client["personal_identity_code"].as_str().unwrap().to_owned(),
            client["iban"].as_str().unwrap().to_owned(),
        )
    };
    let before = revealed();
    let code: polku::domain::identity_code::PersonalIdentityCode = before.0.parse().unwrap();
    assert!(code.is_temporary(), "{}", before.0);
    assert!(
        before
            .1
            .replace(' ', "")
            .parse::<polku::domain::iban::Iban>()
            .is_ok(),
        "{}",
        before.1
    );

    assert!(run(&["keys", "rotate"]).starts_with("key 2 is now current"));
    assert_eq!(revealed(), before, "old data reads after the rotation");
    // 401 clients, each with an identity code and a bank account.
    assert!(run(&["keys", "reencrypt", "--batch", "150"]).starts_with("re-encrypted 802 values with key 2"),);
    // The running server learns the new key from the first value written with it.
    assert_eq!(
        revealed(),
        before,
        "re-encrypted data reads on the running server"
    );
    let (status, body) = call(
        "POST",
        &format!("{url}/api/v1/clients"),
        Some(&token),
        Some(&format!(
            r#"{{"unit_id": "{}", "first_names": "Uusi", "last_name": "Avain", "iban": "FI4950009420028730", "birth_date": "1999-09-09"}}"#,
            units[0]
        )),
    );
    assert_eq!(status, 201, "{body}");
    assert!(run(&["keys", "reencrypt"]).starts_with("re-encrypted 0 values"));

    kill(
        Pid::from_raw(i32::try_from(server.id()).unwrap()),
        Signal::SIGTERM,
    )
    .unwrap();
    assert!(wait_exit(&mut server, Duration::from_secs(60)).success());
}
