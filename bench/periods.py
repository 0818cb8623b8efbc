#!/usr/bin/env python3
"""Service-period benchmark (issue: service periods).

1. `polku seed --organisations 10 --clients N --periods 3 --diary 100 --assessments 4`
   (default 1,000,000 clients: 3 million periods, 100 million diary entries, 4 million
   assessments).
2. A client's full period page, GET /api/v1/periods/{id}/page (the period, goals, the latest
   20 diary entries, assessments; one access-log event), over 200 ongoing periods:
   - one connection (a request at a time): p95;
   - 64 connections, saturated: requests/s and p95 (the queue of 64 on 2 cores);
   - 64 connections pausing between requests to offer half the saturated rate: p95.
   Target: p95 <= 25 ms at 64 connections (the paced run).

Usage: bench/periods.py [--clients N] [--seconds S]   (needs wrk; builds the release binary).
"""
import argparse, json, os, random, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auth import PASSWORD, pg_bin, request  # noqa: E402
from access_log import ROOT, Server  # noqa: E402
from clients import think_time, wrk_paths  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "polku"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    polku = os.path.join(ROOT, "target/release/polku")
    work = tempfile.mkdtemp(prefix="polku-bench-", dir="/tmp")
    os.chmod(work, 0o755)
    server = Server(polku, work, 5)
    try:
        started = time.time()
        summary = json.loads(server.cli("seed", "--organisations", "10", "--clients", str(args.clients),
                                        "--seed", "2026", "--periods", "3", "--diary", "100",
                                        "--assessments", "4"))
        seed_s = time.time() - started
        org = summary["organisations"][0]
        units = [arg for unit in org["unit_ids"] for arg in ("--unit", unit)]
        server.cli("admin", "create-user", "--organisation", org["id"], "--email", "bench@bench.test",
                   "--role", "coach", *units, "--password-stdin", stdin=PASSWORD + "\n")
        status, body, _ = request(server.port, "POST", "/api/v1/auth/login",
                                  {"email": "bench@bench.test", "password": PASSWORD})
        assert status == 200, body
        token = json.loads(body)["access_token"]
        socket_dir = f"{work}/data/run"
        psql = [pg_bin("psql"), "-h", socket_dir, "-U", "polku_app", "-d", "polku", "-qAtX", "-v", "ON_ERROR_STOP=1"]
        tenant = f"SELECT FROM set_config('polku.organisation_id', '{org['id']}', false)"
        counts = subprocess.run(psql + ["-c", tenant, "-c",
                                        "SELECT (SELECT count(*) FROM periods) || ' ' || "
                                        "(SELECT count(*) FROM diary_entries) || ' ' || "
                                        "(SELECT count(*) FROM assessments)"],
                                capture_output=True, text=True, check=True).stdout.split()
        ids = subprocess.run(psql + ["-c", tenant, "-c",
                                     "SELECT id FROM periods TABLESAMPLE SYSTEM (2) WHERE ends_on IS NULL LIMIT 200"],
                             capture_output=True, text=True, check=True).stdout.split()
        random.Random(1).shuffle(ids)
        paths = [f"/api/v1/periods/{period}/page" for period in ids]
        for path in paths[:3]:
            status, body, _ = request(server.port, "GET", path, token=token)
            page = json.loads(body)
            assert status == 200 and len(page["diary"]) == 20 and page["assessments"], (path, body[:300])

        p95_1 = wrk_paths(server.port, token, paths, 1, args.seconds, work, "page1")[1]
        rps, p95_64 = max(wrk_paths(server.port, token, paths, 64, args.seconds, work, "page") for _ in range(2))
        think = think_time(rps, 64)
        paced_rps, p95_paced = wrk_paths(server.port, token, paths, 64, args.seconds, work, "pagep", think)
        print(f"seed {args.clients} clients, one organisation holds {counts[0]} periods, {counts[1]} diary entries, "
              f"{counts[2]} assessments: {seed_s:.0f} s ({summary['clients_seconds']:.0f} s for the clients)")
        print(f"period_page_p95_ms_1c {p95_1:.1f}")
        print(f"period_page_rps_64c {rps:.0f} (p95 {p95_64:.1f} ms saturated)")
        print(f"period_page_p95_ms_64c_half_load {p95_paced:.1f} at {paced_rps:.0f} rps (think {think} ms; "
              "target <= 25)")
        print("verdict", "PASS" if p95_paced <= 25 else "FAIL")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
