#!/usr/bin/env python3
"""Drive one real client through every scenario that applies to it; write what it printed.

  python3 harness.py CLIENT [SCENARIO ...]

CLIENT is a key of CLIENTS in clients.py (which also says how each is installed: see
install.sh). For each scenario this starts emulator.py (HTTP or HTTPS on 127.0.0.1) with the
scenario's answer, runs the client's command from the repository root with the scenario's URL
and key, captures stdout and stderr together (merged in the order printed), strips what varies
from run to run (see sanitize), and writes tests/data/clients/<client>/<scenario>.txt; then it
rewrites that client's entries of tests/data/clients/manifest.toml.

Tools live under $HARVEST (default /tmp/harvest), never in the repository.
"""
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)                      # tests/data/clients
REPO = os.path.abspath(os.path.join(DATA, "..", "..", ".."))
HARVEST = os.environ.get("HARVEST", "/tmp/harvest")
sys.path.insert(0, HERE)
from clients import CLIENTS  # noqa: E402
sys.path.insert(0, DATA)
from emulator import JSON_ERRORS as EMU_ERRORS  # noqa: E402

CONSUMER_KEY = "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D"
USERNAME = "integration@acme.com"

# Catalog ids of src/salesforce/errors.toml give their own steps; the others are named here.
CATALOG = {e["id"]: e["steps"] for e in tomllib.load(
    open(os.path.join(REPO, "src", "salesforce", "errors.toml"), "rb"))["entry"]}
OWN_STEPS = {
    "dns-failure": [5], "url-not-my-domain": [5], "connection-refused": [5], "connection-reset": [5],
    "tls-untrusted-certificate": [5], "tls-hostname-mismatch": [5], "tls-to-plain-http": [5],
    "key-pkcs1-where-pkcs8-needed": [1], "key-encrypted-no-passphrase": [1, 7],
    "key-weak-1024-bit": [1], "key-is-certificate": [1], "key-truncated": [1],
    "key-file-missing": [1, 7], "key-file-empty": [1, 7], "key-literal-backslash-n": [1, 7],
    "key-is-public-key": [1], "key-ec-for-rs256": [1],
}

# name: (emulator answer, transport, url form, key fixture, cause)
#   transport: https (trusted self-signed cert), https-untrusted, https-wronghost, http-server
#   (plain-HTTP emulator behind an https:// URL), none (nothing listening)
SCENARIOS = {
    "user-not-approved": ("user-not-approved", "https", "ip", "valid", "user-not-approved"),
    "invalid-assertion": ("invalid-assertion", "https", "ip", "valid", "invalid-assertion"),
    "audience-invalid": ("audience-invalid", "https", "ip", "valid", "audience-invalid"),
    "assertion-expired": ("assertion-expired", "https", "ip", "valid", "assertion-expired"),
    "client-id-invalid": ("client-id-invalid", "https", "ip", "valid", "client-id-invalid"),
    "app-not-found": ("app-not-found", "https", "ip", "valid", "app-not-found"),
    "app-access-not-approved": ("app-access-not-approved", "https", "ip", "valid", "app-access-not-approved"),
    "grant-type-not-supported": ("grant-type-not-supported", "https", "ip", "valid", "grant-type-not-supported"),
    "login-rate-exceeded": ("login-rate-exceeded", "https", "ip", "valid", "login-rate-exceeded"),
    "ip-restricted": ("ip-restricted", "https", "ip", "valid", "ip-restricted"),
    "unknown-error-retry": ("unknown-error-retry", "https", "ip", "valid", "unknown-error-retry"),
    "http-404": ("http-404", "https", "ip", "valid", "url-no-longer-exists"),
    "http-405": ("http-405", "https", "ip", "valid", "lightning-host-redirect"),
    "http-503": ("http-503", "https", "ip", "valid", "server-error"),
    "html-200": ("html-200", "https", "ip", "valid", "not-salesforce-host"),
    "empty-200": ("empty-200", "https", "ip", "valid", "empty-response-body"),
    "connection-reset": ("reset", "https", "ip", "valid", "connection-reset"),
    "dns-failure": (None, "none", "invalid-host", "valid", "dns-failure"),
    "connection-refused": (None, "none", "ip", "valid", "connection-refused"),
    "url-login-host": (None, "none", "login-host", "valid", "url-not-my-domain"),
    "tls-self-signed": ("user-not-approved", "https-untrusted", "ip", "valid", "tls-untrusted-certificate"),
    "tls-hostname-mismatch": ("user-not-approved", "https-wronghost", "ip", "valid", "tls-hostname-mismatch"),
    "tls-to-plain-http": ("user-not-approved", "http-server", "ip", "valid", "tls-to-plain-http"),
    "key-pkcs1": ("user-not-approved", "https", "ip", "pkcs1-key", "key-pkcs1-where-pkcs8-needed"),
    "key-encrypted": ("user-not-approved", "https", "ip", "encrypted-key", "key-encrypted-no-passphrase"),
    "key-weak-1024": ("user-not-approved", "https", "ip", "weak-key", "key-weak-1024-bit"),
    "key-is-cert": ("user-not-approved", "https", "ip", "key-is-cert", "key-is-certificate"),
    "key-truncated": ("user-not-approved", "https", "ip", "truncated-key", "key-truncated"),
    "key-missing": ("user-not-approved", "https", "ip", "missing-key", "key-file-missing"),
    "key-empty": ("user-not-approved", "https", "ip", "empty-key", "key-file-empty"),
    "key-literal-newlines": ("user-not-approved", "https", "ip", "key-literal-newlines", "key-literal-backslash-n"),
    "key-is-public-key": ("user-not-approved", "https", "ip", "key-is-public-key", "key-is-public-key"),
    "key-ec": ("user-not-approved", "https", "ip", "ec-key", "key-ec-for-rs256"),
}
SERVER_SCENARIOS = [s for s, v in SCENARIOS.items() if v[3] == "valid"]
KEY_SCENARIOS = [s for s, v in SCENARIOS.items() if v[3] != "valid"]


def tls_material():
    """Self-signed certificates for the HTTPS emulator, made once under $HARVEST/tls."""
    d = os.path.join(HARVEST, "tls")
    os.makedirs(d, exist_ok=True)
    for name, san in (("good", "IP:127.0.0.1,DNS:localhost"), ("wronghost", "DNS:login.salesforce.com")):
        crt = os.path.join(d, name + ".crt")
        if not os.path.exists(crt):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
                            "-keyout", os.path.join(d, name + ".key"), "-out", crt,
                            "-subj", "/CN=" + san.split(",")[0].split(":")[1],
                            "-addext", "subjectAltName=" + san], check=True, capture_output=True)
    ca = os.path.join(d, "ca.pem")
    with open(ca, "w") as f:
        for name in ("good", "wronghost"):
            f.write(open(os.path.join(d, name + ".crt")).read())
    jks = os.path.join(d, "trust.jks")
    if not os.path.exists(jks):
        for name in ("good", "wronghost"):
            subprocess.run(["keytool", "-importcert", "-noprompt", "-alias", name, "-file",
                            os.path.join(d, name + ".crt"), "-keystore", jks, "-storepass", "changeit",
                            "-storetype", "JKS"], check=True, capture_output=True)
    return d, ca, jks


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_emulator(answer, transport, tls_dir):
    portfile = os.path.join(HARVEST, "emulator.port")
    if os.path.exists(portfile):
        os.remove(portfile)
    cmd = [sys.executable, os.path.join(DATA, "emulator.py"), "--scenario", answer, "--port-file", portfile]
    if transport.startswith("https"):
        name = "wronghost" if transport == "https-wronghost" else "good"
        cmd += ["--tls", os.path.join(tls_dir, name + ".crt"), os.path.join(tls_dir, name + ".key")]
    log = open(os.path.join(HARVEST, "emulator.log"), "a")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, env={k: v for k, v in os.environ.items()
                                                             if k != "SFEMU_SCENARIO"})
    for _ in range(100):
        if os.path.exists(portfile):
            return proc, int(open(portfile).read())
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("emulator did not start")


def sanitize(text, port):
    text = text.replace(REPO + "/", "").replace(REPO, ".")
    text = text.replace(HARVEST, "$HARVEST")
    home = os.path.expanduser("~")
    text = text.replace(home + "/", "~/")
    if port:
        text = re.sub(r"(?<![0-9])%d(?![0-9])" % port, "PORT", text)
    text = re.sub(r"\((node|java):\d+\)", r"(\1:PID)", text)
    text = re.sub(r"/tmp/tmp[A-Za-z0-9_]{6,}", "$TMP", text)
    # Python object addresses in reprs
    text = re.sub(r" at 0x[0-9a-f]{6,}>", " at 0xADDRESS>", text)
    # the client's own ephemeral port, in Node's socket dumps
    text = re.sub(r"localPort: \d+", "localPort: EPHEMERAL", text)
    # Go's net errors: the client's own port (`127.0.0.1:36480->`), the machine's resolver.
    text = re.sub(r"(\d+\.\d+\.\d+\.\d+):\d+->", r"\1:EPHEMERAL->", text)
    text = re.sub(r" on \d+\.\d+\.\d+\.\d+:53:", " on RESOLVER:53:", text)
    # curl's connect timing
    text = re.sub(r"after \d+ ms", "after N ms", text)
    # OpenSSL 3 error lines start with the thread id
    text = re.sub(r"(?m)(^|(?<=[ \[]))[0-9A-F]{8,16}:error:", "THREADID:error:", text)
    return text


def run_client(name, scenario, tls):
    c = CLIENTS[name]
    answer, transport, urlform, key, cause = SCENARIOS[scenario]
    tls_dir, ca, jks = tls
    proc, port = (None, None)
    if transport != "none":
        proc, port = start_emulator(answer, transport, tls_dir)
    elif urlform == "ip":
        port = free_port()
    host = {"invalid-host": "login.salesforce.invalid", "login-host": "login.salesforce.com"}.get(
        urlform) or "127.0.0.1:%d" % port
    url = "https://" + host
    keyfile = "fixtures/%s/server.key" % key
    env = dict(os.environ, HARVEST=HARVEST, PYTHONUNBUFFERED="1")
    env.pop("SFEMU_SCENARIO", None)
    if transport != "https-untrusted":
        env.update(SSL_CERT_FILE=ca, REQUESTS_CA_BUNDLE=ca, NODE_EXTRA_CA_CERTS=ca, CURL_CA_BUNDLE=ca)
    subst = dict(url=url, host=host, key=keyfile, client_id=CONSUMER_KEY, username=USERNAME,
                 harvest=HARVEST, here=HERE,
                 jtrust="" if transport == "https-untrusted" else
                 "-Djavax.net.ssl.trustStore=%s -Djavax.net.ssl.trustStorePassword=changeit" % jks)
    argv = [a.format(**subst) for a in c["cmd"]]
    argv = [w for a in argv for w in (shlex.split(a) if a.startswith("-Djavax") else [a]) if w != ""]
    env.update({k: v.format(**subst) for k, v in c.get("env", {}).items()})
    try:
        r = subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=c.get("timeout", 120))
        out, rc = r.stdout.decode("utf-8", "replace"), r.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode("utf-8", "replace") + "\n[harness: timed out]\n", "timeout"
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
    out = sanitize(out, port)
    steps = CATALOG.get(cause, OWN_STEPS.get(cause))
    notes = []
    # The cause is what the text shows: when the client printed the server's JSON error rather
    # than failing locally (a key it accepts, a TLS check it skips) or sent another grant type,
    # the cause is that error's.
    shown_errors = [sc for sc, (e, d) in EMU_ERRORS.items() if d in out]
    if shown_errors and cause not in shown_errors:
        got = shown_errors[0]
        if answer in EMU_ERRORS and answer != got:
            notes.append("the server answered %s: the client sent another grant type" % got)
        else:
            notes.append("the client did not fail locally: it sent the request and printed the server's answer")
        cause, steps = got, CATALOG[got]
    if c.get("notes"):
        notes.insert(0, c["notes"])
    shown = " ".join(a if re.fullmatch(r"[-\w./:$@=+,]+", a) else shlex.quote(a)
                     for a in [sanitize(x, port) for x in argv])
    return out, rc, dict(client=name, version=c["version_text"], scenario=scenario, cause=cause,
                         steps=steps, exit_code=rc, emulator=answer or "none", transport=transport,
                         command=shown, notes="; ".join(notes))


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def write_manifest(client, records):
    path = os.path.join(DATA, "manifest.toml")
    old = tomllib.load(open(path, "rb")).get("file", []) if os.path.exists(path) else []
    keep = [r for r in old if r["client"] != client]
    # explained_as is set by hand (see the header): a re-harvest keeps it per file.
    explained = {r["file"]: r["explained_as"] for r in old if "explained_as" in r}
    for r in records:
        if r["file"] in explained:
            r.setdefault("explained_as", explained[r["file"]])
    allr = sorted(keep + records, key=lambda r: (r["client"], r["file"]))
    lines = ["# One [[file]] per harvested text: see README.md. Generated by harvest/harness.py.",
             "# cause: a catalog id of src/salesforce/errors.toml where one fits, else a name of our own;",
             "# steps: setup steps 1-7. emulator: the emulator's answer; transport: see harness.py.",
             "# explained_as: where the text cannot tell the cause apart (the same message for several causes,",
             "# a status line without the body, a driver's own print), the catalog entry `sfjwt explain` must",
             "# name first instead of `cause`; \"\" when the text holds nothing to recognise. Set by hand.", ""]
    for r in allr:
        lines.append("[[file]]")
        for k in ("file", "client", "version", "scenario", "cause", "explained_as", "steps", "exit_code", "emulator",
                  "transport", "command", "notes"):
            v = r.get(k, "")
            if k == "notes" and not v:
                continue
            if k == "explained_as" and k not in r:
                continue
            if isinstance(v, list):
                lines.append("%s = [%s]" % (k, ", ".join(str(x) for x in v)))
            elif isinstance(v, int) and not isinstance(v, bool):
                lines.append("%s = %d" % (k, v))
            else:
                lines.append("%s = %s" % (k, toml_str(str(v))))
        lines.append("")
    open(path, "w").write("\n".join(lines))


def refresh_notes():
    """--notes: put each client's current notes on its manifest entries, without running it."""
    path = os.path.join(DATA, "manifest.toml")
    old = tomllib.load(open(path, "rb"))["file"]
    for name in sorted(set(r["client"] for r in old)):
        recs = [r for r in old if r["client"] == name]
        own = CLIENTS[name].get("notes", "")
        known = sorted((c.get("notes", "") for c in CLIENTS.values()), key=len, reverse=True)
        for r in recs:
            left = r.get("notes", "")
            for k in known:
                if k:
                    left = left.replace(k, "")
            rest = [n for n in left.split("; ") if n.strip()]
            r["notes"] = "; ".join(([own] if own else []) + rest)
        write_manifest(name, recs)


def main():
    if sys.argv[1] == "--notes":
        return refresh_notes()
    name = sys.argv[1]
    c = CLIENTS[name]
    scen = sys.argv[2:] or c["scenarios"]
    tls = tls_material()
    vr = subprocess.run(c["version"], shell=True, cwd=REPO, capture_output=True, text=True,
                        env=dict(os.environ, HARVEST=HARVEST))
    c["version_text"] = vr.stdout.strip().splitlines()[-1] if vr.stdout.strip() else "unknown"
    outdir = os.path.join(DATA, name)
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(DATA, "manifest.toml")
    old = [r for r in (tomllib.load(open(path, "rb")).get("file", []) if os.path.exists(path) else [])
           if r["client"] == name and r["scenario"] not in scen]
    records = old
    for s in scen:
        out, rc, rec = run_client(name, s, tls)
        rel = "%s/%s.txt" % (name, s)
        open(os.path.join(DATA, rel), "w").write(out)
        rec["file"] = rel
        records.append(rec)
        print("%-28s rc=%-4s %s" % (s, rc, (out.strip().splitlines() or [""])[-1][:110]))
    write_manifest(name, records)


if __name__ == "__main__":
    main()
