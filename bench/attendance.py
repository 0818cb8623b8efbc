#!/usr/bin/env python3
"""Attendance benchmark (issue: attendance, regularity and allowances).

1. `polku seed --organisations 1 --clients 20000 --periods 1`: 20,000 ongoing periods,
   turned into KTT periods planned Monday to Friday; a month of attendance generated for
   every one (present on weekdays, about one in ten absent, one in twenty also present on
   Saturday: the five-day cap has work to do).
2. Group marking: groups of 500 of a unit's periods; `PUT /api/v1/attendance/{group}/{date}`
   with the whole day (500 marks) one request at a time, a new day each time: p50/p95.
   Also the same day sent again (a no-op) and every mark corrected (500 history rows).
   Target: p95 <= 100 ms for marking a day.
3. The monthly allowance report of the whole organisation (20,000 active KTT periods),
   JSON and CSV, by a manager: each run's time. Target: <= 2 s.

Usage: bench/attendance.py [--clients N] [--days D]   (builds the release binary).
"""
import argparse, datetime, json, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auth import PASSWORD, pg_bin, request  # noqa: E402
from access_log import ROOT, Server  # noqa: E402


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=40, help="days marked per measurement")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "polku"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    polku = os.path.join(ROOT, "target/release/polku")
    work = tempfile.mkdtemp(prefix="polku-bench-", dir="/tmp")
    os.chmod(work, 0o755)
    server = Server(polku, work, 5)
    try:
        summary = json.loads(server.cli("seed", "--organisations", "1", "--clients", str(args.clients),
                                        "--seed", "2026", "--periods", "1"))
        org = summary["organisations"][0]
        units = [arg for unit in org["unit_ids"] for arg in ("--unit", unit)]
        for email, role in (("coach@bench.test", "coach"), ("manager@bench.test", "manager")):
            server.cli("admin", "create-user", "--organisation", org["id"], "--email", email,
                       "--role", role, *units, "--password-stdin", stdin=PASSWORD + "\n")
        tokens = {}
        for email in ("coach@bench.test", "manager@bench.test"):
            status, body, _ = request(server.port, "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
            assert status == 200, body
            tokens[email] = json.loads(body)["access_token"]
        coach, manager = tokens["coach@bench.test"], tokens["manager@bench.test"]

        socket_dir = f"{work}/data/run"
        psql = [pg_bin("psql"), "-h", socket_dir, "-U", "polku_app", "-d", "polku", "-qAtX", "-v", "ON_ERROR_STOP=1"]
        tenant = f"SELECT FROM set_config('polku.organisation_id', '{org['id']}', false)"

        def sql(*statements):
            commands = [arg for statement in (tenant, *statements) for arg in ("-c", statement)]
            return subprocess.run(psql + commands, capture_output=True, text=True, check=True).stdout.split()

        today = datetime.date.today()
        month_end = today.replace(day=1) - datetime.timedelta(days=1)
        month_start = month_end.replace(day=1)
        month = month_start.strftime("%Y-%m")
        started = time.time()
        sql("UPDATE periods SET service_type = 'ktt', weekdays = '{1,2,3,4,5}', days_per_week = 5, "
            f"hours_per_day = 6, starts_on = LEAST(starts_on, DATE '{month_start}' - 120), ends_on = NULL, "
            "outcome = NULL",
            "INSERT INTO attendance (id, organisation_id, client_id, period_id, on_date, status, hours, "
            "absence_reason) "
            "SELECT gen_random_uuid(), p.organisation_id, p.client_id, p.id, d::date, "
            "CASE WHEN h % 10 = 0 THEN 'absent' ELSE 'present' END, "
            "CASE WHEN h % 10 = 0 THEN NULL ELSE 6 END, CASE WHEN h % 10 = 0 THEN 'sick' END "
            f"FROM periods p, generate_series(DATE '{month_start}' - 7, DATE '{month_end}', interval '1 day') d, "
            "LATERAL (SELECT hashtext(p.id::text || d::text) & 2147483647 AS h) x "
            "WHERE extract(isodow FROM d) <= 5 OR (extract(isodow FROM d) = 6 AND h % 20 = 1)")
        subprocess.run([pg_bin("psql"), "-h", socket_dir, "-U", "postgres", "-d", "polku", "-qAtX", "-c",
                        "VACUUM ANALYZE periods, attendance"], check=True, capture_output=True)
        counts = sql("SELECT (SELECT count(*) FROM periods WHERE ends_on IS NULL) || ' ' || "
                     "(SELECT count(*) FROM attendance)")
        generate_s = time.time() - started

        # Groups of 500 of the first unit's periods.
        unit = org["unit_ids"][0]
        ids = sql(f"SELECT id FROM periods WHERE unit_id = '{unit}' AND ends_on IS NULL ORDER BY id LIMIT 1000")
        assert len(ids) >= 500, f"only {len(ids)} periods in the unit"
        status, body, _ = request(server.port, "POST", "/api/v1/attendance-groups",
                                  {"unit_id": unit, "name": "Puutyöpaja aamu", "period_ids": ids[:500]}, coach)
        assert status == 201, body
        group = json.loads(body)["id"]

        def day_body(variant):
            if variant == "present":
                return {"entries": [{"period_id": p, "status": "present", "hours": 6} for p in ids[:500]]}
            return {"entries": [{"period_id": p, "status": "absent", "absence_reason": "authorised"}
                                for p in ids[:500]], "reason": "Retki peruttiin"}

        # Days before the generated month (and inside every period): each a new day.
        days = [month_start - datetime.timedelta(days=8 + n) for n in range(args.days)]
        timings = {"mark": [], "repeat": [], "correct": []}
        for day in days:
            path = f"/api/v1/attendance/{group}/{day}"
            for kind, variant in (("mark", "present"), ("repeat", "present"), ("correct", "absent")):
                status, body, elapsed = request(server.port, "PUT", path, day_body(variant), coach)
                assert status == 200, body[:500]
                changed = json.loads(body)["changed"]
                assert changed == (0 if kind == "repeat" else 500), (kind, changed)
                timings[kind].append(elapsed * 1000)

        report_s = {}
        for fmt in ("json", "csv"):
            runs = []
            for _ in range(5):
                status, body, elapsed = request(server.port, "GET", f"/api/v1/allowances?month={month}&format={fmt}",
                                                token=manager)
                assert status == 200, body[:300]
                runs.append(elapsed)
            report_s[fmt] = runs
            if fmt == "json":
                report = json.loads(body)
        print(f"seed {args.clients} clients; {counts[0]} ongoing KTT periods, {counts[1]} attendance records "
              f"generated in {generate_s:.0f} s")
        for kind, label in (("mark", "a new day, 500 marks"), ("repeat", "the same day again (no-op)"),
                            ("correct", "every mark corrected (500 history rows)")):
            values = timings[kind]
            print(f"group_day_{kind}_ms p50 {statistics.median(values):.1f} p95 {p95(values):.1f} "
                  f"over {len(values)} days ({label})")
        print(f"allowance report {month}: {len(report['rows'])} rows, {report['payable_days']} payable of "
              f"{report['participation_days']} participation days, {report['total_cents'] / 100:.2f} €")
        for fmt, runs in report_s.items():
            print(f"allowance_report_{fmt}_s median {statistics.median(runs):.2f} max {max(runs):.2f} (5 runs)")
        ok = p95(timings["mark"]) <= 100 and max(max(r) for r in report_s.values()) <= 2.0
        print("verdict", "PASS" if ok else "FAIL", "(targets: marking p95 <= 100 ms, report <= 2 s)")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
