"""(d) of `make bench`: throughput of 2 gunicorn workers (wrk, or a bounded Python load loop)."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.report import ROOT

WRK_SCRIPT = """
-- Stops each thread after a bounded number of responses; counts non-200 answers
-- (wrk itself counts a 302 to the login page as a success).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) max = tonumber(args[1]); count = 0; bad = 0 end
function response(status, headers, body)
  count = count + 1
  if status ~= 200 then bad = bad + 1 end
  if count >= max then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  io.write(string.format("bench-non200 %d\\n", total_bad))
end
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        conn.close()


def _wrk():
    """The wrk binary; installed from Debian when missing and we may (root or sudo -n)."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode != 0:
        return None
    if not shutil.which("apt-get"):
        return None
    print("bench: installing Debian's wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)
    return shutil.which("wrk")


def _wrk_seconds(text):
    """wrk's duration: "10.01s", "1.00m", "850.00ms"."""
    for suffix, factor in (("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def _run_wrk(wrk, port, path, cookie, *, seconds, max_requests, workdir):
    threads, connections = 2, 8
    script = workdir / "bound.lua"
    script.write_text(WRK_SCRIPT)
    out = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-H", f"Cookie: {cookie}",
         "-s", str(script), f"http://127.0.0.1:{port}{path}", "--", str(max(1, max_requests // threads))],
        capture_output=True, text=True, timeout=seconds + 30,
    ).stdout
    result = {"tool": f"wrk, {threads} threads, {connections} connections", "errors": 0}
    for line in out.splitlines():
        words = line.split()
        if "requests in" in line:
            result["requests"] = int(words[0])
            result["seconds"] = _wrk_seconds(words[3].rstrip(","))
        elif line.startswith("Requests/sec:"):
            result["rps"] = float(words[1])
        elif line.startswith("bench-non200"):
            result["errors"] += int(words[1])
        elif "Socket errors" in line:
            result["errors"] += sum(int(w.rstrip(",")) for w in words if w.rstrip(",").isdigit())
    if "rps" not in result:
        raise SystemExit(f"bench: could not read wrk's output:\n{out}")
    return result


def _run_python_load(port, path, cookie, *, seconds, max_requests, connections=4):
    """Bounded load without wrk: ``connections`` keep-alive clients in threads."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    state = {"sent": 0, "ok": 0, "errors": 0}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                if state["sent"] >= max_requests:
                    break
                state["sent"] += 1
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                good = response.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                state["ok" if good else "errors"] += 1
        conn.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    done = state["ok"] + state["errors"]
    return {"tool": f"Python load loop, {connections} keep-alive connections", "requests": done,
            "seconds": elapsed, "rps": done / elapsed, "errors": state["errors"]}


def measure_throughput(user, ten, workdir, *, seconds):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)  # the session is stored in the database the workers read
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = _free_port()
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
    )
    results = {}
    try:
        for _ in range(150):
            try:
                if _get(port, "/login/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"bench: gunicorn did not start; see {workdir / 'gunicorn.log'}")
        targets = {"trivial": ("/bench/trivial/", 20000),
                   "overview_10y": (reverse("patients:overview", args=[ten.pk]), 5000)}
        wrk = _wrk()
        for name, (path, max_requests) in targets.items():
            status, location, _ = _get(port, path)
            if status != 302 or "login" not in location:
                raise SystemExit(f"bench: {path} must require login (got {status})")
            if _get(port, path, cookie)[0] != 200:
                raise SystemExit(f"bench: {path} with the session cookie did not answer 200")
            if wrk:
                results[name] = _run_wrk(wrk, port, path, cookie, seconds=seconds, max_requests=max_requests,
                                         workdir=workdir)
            else:
                results[name] = _run_python_load(port, path, cookie, seconds=seconds, max_requests=max_requests)
            results[name]["max_requests"] = max_requests
            results[name]["max_seconds"] = seconds
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return results
