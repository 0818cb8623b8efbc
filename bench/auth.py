#!/usr/bin/env python3
"""Identity benchmark (issue: identity and access).

1. Throughput of authenticated GET /api/v1/auth/me (token check + live-session check) at
   64 connections (wrk), against pgbench running the same SQL statements at the same
   concurrency on the same database: the database's own limit. Target: >= 25 %.
2. Login latency with the OWASP argon2id parameters: p50 must be 15-150 ms.
3. /auth/me p99 latency while bursts of 20 concurrent logins run: must be <= 50 ms.

Usage: bench/auth.py [--seconds N]   (needs wrk; uses the release build and an embedded
database in a scratch directory; prints one line per figure and a verdict).
"""
import argparse, base64, http.client, json, os, re, shutil, socket, statistics, subprocess
import sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "korppi vaeltaa hiljaa sumussa"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, data, elapsed


def pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    for major in sorted(os.listdir("/usr/lib/postgresql"), reverse=True):
        candidate = f"/usr/lib/postgresql/{major}/bin/{name}"
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"{name} not found")


def wrk(port, token, connections, seconds, latency=False):
    args = ["wrk", f"-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}"]
    if latency:
        args.append("--latency")
    out = subprocess.run(args + [f"http://127.0.0.1:{port}/api/v1/auth/me"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw {non2xx.group(1)} failed responses:\n{out}")
    p99 = None
    if latency:
        value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
        p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "polku"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    polku = os.path.join(ROOT, "target/release/polku")
    work = tempfile.mkdtemp(prefix="polku-bench-", dir="/tmp")
    os.chmod(work, 0o755)
    port = free_port()
    env = dict(os.environ, POLKU_DATA_DIR=f"{work}/data", POLKU_LISTEN=f"127.0.0.1:{port}", POLKU_LOG="warn",
               POLKU_FRONTEND_DIR=f"{work}/none", POLKU_DB_POOL_SIZE="32")
    server = subprocess.Popen([polku, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if request(port, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        org = subprocess.run([polku, "admin", "create-organisation", "--name", "Bench"], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run([polku, "admin", "create-user", "--organisation", org, "--email", "bench@bench.test",
                        "--role", "coach", "--password-stdin"], env=env, input=PASSWORD + "\n",
                       capture_output=True, text=True, check=True)
        login = {"email": "bench@bench.test", "password": PASSWORD}
        status, body, _ = request(port, "POST", "/api/v1/auth/login", login)
        assert status == 200, body
        token = json.loads(body)["access_token"]
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        sid, uid = claims["sid"], claims["sub"]

        # 1. Throughput, then the database's own limit for the same statements.
        rps, _ = wrk(port, token, 64, args.seconds)
        script = os.path.join(work, "me.sql")
        with open(script, "w") as f:
            # The request path: authentication begins the transaction and checks the session
            # in it (the function sets the tenant), then the handler's statements, COMMIT.
            f.write("BEGIN;\n"
                    f"SELECT polku_live_session('{org}', '{sid}', '{uid}');\n"
                    f"SELECT * FROM users WHERE id = '{uid}' LIMIT 1;\n"
                    f"SELECT * FROM organisations WHERE id = '{org}' LIMIT 1;\nCOMMIT;\n")
        pgbench = subprocess.run([pg_bin("pgbench"), "-n", "-M", "prepared", "-c", "64", "-j", "2", "-T", str(args.seconds),
                                  "-f", script, "-h", f"{work}/data/run", "-U", "polku_app", "polku"],
                                 capture_output=True, text=True, check=True).stdout
        tps = float(re.search(r"tps = ([\d.]+)", pgbench).group(1))

        # 2. Login latency, one at a time.
        latencies = []
        for _ in range(30):
            status, body, elapsed = request(port, "POST", "/api/v1/auth/login", login)
            assert status == 200, body
            latencies.append(elapsed * 1000)
        login_p50 = statistics.median(latencies)

        # 3. /auth/me p99 while bursts of 20 concurrent logins run.
        stop = threading.Event()
        def bursts():
            while not stop.is_set():
                threads = [threading.Thread(target=request, args=(port, "POST", "/api/v1/auth/login", login)) for _ in range(20)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                time.sleep(0.2)
        burster = threading.Thread(target=bursts)
        burster.start()
        _, p99 = wrk(port, token, 8, max(5, args.seconds // 2), latency=True)
        stop.set()
        burster.join()

        ratio = rps / tps
        print(f"auth_me_rps_64c {rps:.0f}")
        print(f"pgbench_same_sql_tps_64c {tps:.0f}")
        print(f"auth_me_vs_pgbench_ratio {ratio:.3f} (target >= 0.25)")
        print(f"login_p50_ms {login_p50:.1f} (target 15-150)")
        print(f"auth_me_p99_ms_during_login_bursts {p99:.1f} (target <= 50)")
        ok = ratio >= 0.25 and 15 <= login_p50 <= 150 and p99 <= 50
        print("verdict", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
