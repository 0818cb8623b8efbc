#!/usr/bin/env python3
"""Access-log benchmark (issue: access log and disclosure log).

1. GET /api/v1/clients/{id} (token check, client read and its access-log event, all
   durable) at 64 connections (wrk), against pgbench running the same read-plus-insert
   transaction at the same concurrency on the same database. Target: >= 50 %.
2. The hash chain's price: the same GET with the background sealer running (default
   interval, 5 s) against the sealer switched off. Target: at most 20 % slower.
   Each figure is the best of three interleaved rounds.
3. Sealing and verifying N events (default 10 million) of one organisation: events/s.

Usage: bench/access_log.py [--seconds S] [--events N]   (needs wrk; release build,
embedded database in a scratch directory; prints one line per figure and a verdict).
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auth import PASSWORD, free_port, pg_bin, request  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The columns GET /api/v1/clients/{id} reads (backend/src/clients/store/mod.rs, ClientRow).
CLIENT_COLUMNS = ("id, unit_id, first_names, last_name, language, created_at, updated_at, version, "
                  "identity_code_encrypted, identity_code_prefix, identity_code_temporary, birth_date, gender, "
                  "street_address, postal_code, post_office, home_municipality, phone, email, iban_encrypted, "
                  "iban_masked, mother_tongue, nationality, profession, trade_union_encrypted, education_level, "
                  "referrer, responsible_coach_id, status, closed_on, close_reason")


def wrk(port, token, path, seconds):
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw {non2xx.group(1)} failed responses:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


class Server:
    def __init__(self, polku, work, seal_interval):
        self.polku, self.port = polku, free_port()
        self.env = dict(os.environ, POLKU_DATA_DIR=f"{work}/data", POLKU_LISTEN=f"127.0.0.1:{self.port}",
                        POLKU_LOG="warn", POLKU_FRONTEND_DIR=f"{work}/none", POLKU_DB_POOL_SIZE="32",
                        POLKU_AUDIT_SEAL_INTERVAL_SECS=str(seal_interval))
        self.process = subprocess.Popen([polku, "serve"], env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                if request(self.port, "GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit("polku serve did not become ready")

    def cli(self, *args, stdin=None):
        return subprocess.run([self.polku, *args], env=self.env, input=stdin, capture_output=True, text=True,
                              check=True).stdout.strip()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=120)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--events", type=int, default=10_000_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "polku"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    polku = os.path.join(ROOT, "target/release/polku")
    work = tempfile.mkdtemp(prefix="polku-bench-", dir="/tmp")
    os.chmod(work, 0o755)
    socket_dir = f"{work}/data/run"
    server = Server(polku, work, 0)
    try:
        org = server.cli("admin", "create-organisation", "--name", "Bench")
        psql = [pg_bin("psql"), "-h", socket_dir, "-U", "polku_app", "-d", "polku", "-qAtX", "-v", "ON_ERROR_STOP=1"]
        tenant_quiet = f"SELECT FROM set_config('polku.organisation_id', '{org}', false);"
        tenant = f"SELECT set_config('polku.organisation_id', '{org}', false);"
        unit = subprocess.run(psql + ["-c", tenant, "-c", "INSERT INTO units (id, organisation_id, name) VALUES "
                                      f"(gen_random_uuid(), '{org}', 'Bench') RETURNING id"],
                              capture_output=True, text=True, check=True).stdout.split()[-1]
        server.cli("admin", "create-user", "--organisation", org, "--email", "bench@bench.test", "--role", "coach",
                   "--unit", unit, "--password-stdin", stdin=PASSWORD + "\n")
        status, body, _ = request(server.port, "POST", "/api/v1/auth/login",
                                  {"email": "bench@bench.test", "password": PASSWORD})
        assert status == 200, body
        token = json.loads(body)["access_token"]
        user = json.loads(request(server.port, "GET", "/api/v1/auth/me", token=token)[1])["id"]
        status, body, _ = request(server.port, "POST", "/api/v1/clients",
                                  {"unit_id": unit, "first_names": "Bench", "last_name": "Asiakas",
                                   "birth_date": "1990-01-01"}, token)
        assert status == 201, body
        client = json.loads(body)["id"]
        path = f"/api/v1/clients/{client}"

        # 1. The app against the database's own limit for the same durable transaction.
        script = os.path.join(work, "read_log.sql")
        with open(script, "w") as f:
            f.write("BEGIN;\n"
                    f"SELECT set_config('polku.organisation_id', '{org}', true);\n"
                    f"SELECT {CLIENT_COLUMNS} FROM clients WHERE id = '{client}';\n"
                    "INSERT INTO audit_events (id, organisation_id, category, action, actor_user_id, client_ids, "
                    "resource_type, resource_ids, fields, details, request_id, source_address, user_agent) VALUES "
                    f"(gen_random_uuid(), '{org}', 'client', 'read', '{user}', ARRAY['{client}']::uuid[], 'client', "
                    f"ARRAY['{client}']::uuid[], '{{}}', '{{}}', 'pgbench', '127.0.0.1', 'pgbench');\n"
                    "COMMIT;\n")

        def pgbench():
            out = subprocess.run([pg_bin("pgbench"), "-n", "-M", "prepared", "-c", "64", "-j", "2", "-T",
                                  str(args.seconds), "-f", script, "-h", socket_dir, "-U", "polku_app", "polku"],
                                 capture_output=True, text=True, check=True).stdout
            return float(re.search(r"tps = ([\d.]+)", out).group(1))

        # Interleaved rounds, best of each, so a noisy moment does not decide a ratio.
        # 2. The same GET with the background sealer at its default interval, against the
        # sealer switched off (the log insert without the chain).
        unsealed, sealed_runs, tps_runs = [], [], []
        for _ in range(3):
            unsealed.append(wrk(server.port, token, path, args.seconds))
            tps_runs.append(pgbench())
            server.stop()
            # Chain the backlog first (pgbench's and the last round's events), so the
            # measured window pays only for sealing what it writes itself.
            server.cli("audit", "seal")
            server = Server(polku, work, 5)
            sealed_runs.append(wrk(server.port, token, path, args.seconds))
            server.stop()
            server = Server(polku, work, 0)
        unsealed_rps, tps, sealed_rps = max(unsealed), max(tps_runs), max(sealed_runs)
        server.stop()

        # 3. Sealing and verifying N events: the bulk load goes in as the runtime role.
        server = Server(polku, work, 0)
        server.cli("audit", "seal")
        started = time.time()
        subprocess.run(psql + ["-c", tenant_quiet, "-c",
                               "INSERT INTO audit_events (id, organisation_id, category, action, actor_user_id, "
                               "client_ids, resource_type, resource_ids, details, request_id, source_address, "
                               "user_agent) SELECT gen_random_uuid(), "
                               f"'{org}', 'client', 'read', '{user}', ARRAY['{client}']::uuid[], 'client', "
                               f"ARRAY['{client}']::uuid[], '{{}}', 'bulk-' || g, '127.0.0.1', 'bench' "
                               f"FROM generate_series(1, {args.events}) g"], check=True)
        load_s = time.time() - started
        started = time.time()
        out = server.cli("audit", "seal")
        seal_s = time.time() - started
        sealed = int(re.search(r"sealed (\d+) events", out).group(1))
        started = time.time()
        out = server.cli("audit", "verify", "--organisation", org)
        verify_s = time.time() - started
        verified = int(re.search(r"intact \((\d+) events", out).group(1))
        server.stop()

        ratio = unsealed_rps / tps
        chain_cost = 1 - sealed_rps / unsealed_rps
        print(f"get_client_rps_64c {unsealed_rps:.0f}")
        print(f"pgbench_read_plus_insert_tps_64c {tps:.0f}")
        print(f"get_client_vs_pgbench_ratio {ratio:.3f} (target >= 0.50)")
        print(f"get_client_rps_64c_with_sealer {sealed_rps:.0f}")
        print(f"hash_chain_cost {chain_cost * 100:.1f} % (target <= 20 %)")
        print(f"bulk_load_events {args.events} in {load_s:.0f} s")
        print(f"seal_events_per_s {sealed / seal_s:.0f} ({sealed} events in {seal_s:.1f} s)")
        print(f"verify_events_per_s {verified / verify_s:.0f} ({verified} events in {verify_s:.1f} s)")
        ok = ratio >= 0.5 and chain_cost <= 0.2 and verified >= args.events
        print("verdict", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        server.process.terminate()
        server.process.wait(timeout=120)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
