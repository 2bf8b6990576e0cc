#!/usr/bin/env python3
"""Loopback emulator of Salesforce's OAuth token endpoint, for harvesting what clients print.

Standard library only. Listens on 127.0.0.1 (never another interface).

  python3 emulator.py [--port N] [--tls CERT KEY] [--port-file FILE] [--scenario NAME]

The answer to every request is chosen by, first, a path prefix
(POST /<scenario>/services/oauth2/token), else $SFEMU_SCENARIO, else --scenario,
else "user-not-approved". Scenarios:

  JSON errors (HTTP 400, the headers Salesforce sends):
    user-not-approved, invalid-assertion, audience-invalid, assertion-expired,
    client-id-invalid, app-not-found, app-access-not-approved, grant-type-not-supported,
    login-rate-exceeded, ip-restricted, inactive-user, unknown-error-retry
  HTML/HTTP:  http-404, http-405 (Only POST allowed), http-503, html-200
  transport:  reset (the connection is reset after the request is read),
              close (closed with no answer), empty-200 (200 with an empty body)
  ok:         200 with a fake token 00D000000000000!FAKE (never a real one)

A POST whose grant_type is not urn:ietf:params:oauth:grant-type:jwt-bearer gets
unsupported_grant_type / grant type not supported, whatever the scenario, as from Salesforce.
Any path ending in /services/oauth2/token is the token endpoint (a client that only takes a
"domain" and appends .salesforce.com is pointed at https://127.0.0.1:PORT/sfemu + that).

Requests are logged to stderr (method, path, Content-Type; the assertion's JWT header and
claims decoded; never a signature). With --tls the server speaks HTTPS with the given
certificate, normally a self-signed one made by harvest/common.sh.
"""
import argparse
import base64
import json
import os
import socket
import ssl
import struct
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JSON_ERRORS = {
    "user-not-approved": ("invalid_grant", "user hasn't approved this consumer"),
    "invalid-assertion": ("invalid_grant", "invalid assertion"),
    "audience-invalid": ("invalid_grant", "audience is invalid"),
    "assertion-expired": ("invalid_grant", "expired authorization code"),
    "client-id-invalid": ("invalid_client_id", "client identifier invalid"),
    "app-not-found": ("app_not_found", "External client app is not installed in this org"),
    "app-access-not-approved": ("invalid_app_access", "user is not admin approved to access this app"),
    "grant-type-not-supported": ("unsupported_grant_type", "grant type not supported"),
    "login-rate-exceeded": ("invalid_grant", "login rate exceeded"),
    "ip-restricted": ("invalid_grant", "ip restricted"),
    "inactive-user": ("invalid_grant", "inactive user"),
    "unknown-error-retry": ("unknown_error", "retry your request"),
}

HTML = {
    "http-404": (404, "Not Found", "<html><head><title>URL No Longer Exists</title></head><body>"
                 "<h1>URL No Longer Exists</h1><p>You have attempted to reach a URL that no "
                 "longer exists on salesforce.com.</p></body></html>\n"),
    "http-405": (405, "Method Not Allowed", "<html><head><title>Error 405 Only POST allowed"
                 "</title></head><body><h2>HTTP ERROR 405</h2><p>Problem accessing "
                 "/services/oauth2/token. Reason:<pre>    Only POST allowed</pre></p></body></html>\n"),
    "http-503": (503, "Service Unavailable", "<html><head><title>Service Unavailable</title>"
                 "</head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to "
                 "service your request. Please try again later.</p></body></html>\n"),
    "html-200": (200, "OK", "<html><head><title>Domain for sale</title></head><body>This "
                 "domain may be for sale.</body></html>\n"),
}

FAKE_TOKEN = "00D000000000000!FAKE"
SCENARIOS = sorted(list(JSON_ERRORS) + list(HTML) + ["reset", "close", "empty-200", "ok"])


def b64json(part):
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except Exception:
        return "<undecodable>"


class Handler(BaseHTTPRequestHandler):
    default_scenario = "user-not-approved"

    def version_string(self):
        return "SFEMU/1"
    def log_message(self, fmt, *args):
        sys.stderr.write("emulator: " + (fmt % args) + "\n")

    def scenario_and_path(self):
        path = urllib.parse.urlsplit(self.path).path
        parts = path.lstrip("/").split("/", 1)
        if parts and parts[0] in SCENARIOS:
            return parts[0], "/" + (parts[1] if len(parts) > 1 else "")
        return os.environ.get("SFEMU_SCENARIO") or self.default_scenario, path

    def send(self, status, reason, ctype, body, extra=()):
        data = body.encode()
        self.send_response(status, reason)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data.decode("utf-8", "replace")
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode("utf-8", "replace") if n else ""

    def log_request_body(self, raw):
        form = urllib.parse.parse_qs(raw)
        shown = {k: v[0] for k, v in form.items() if k != "assertion"}
        if "assertion" in form:
            parts = form["assertion"][0].split(".")
            shown["assertion.header"] = b64json(parts[0]) if parts else None
            shown["assertion.claims"] = b64json(parts[1]) if len(parts) > 1 else None
        sys.stderr.write("emulator: %s %s content-type=%s form=%s\n" % (
            self.command, self.path, self.headers.get("Content-Type"), json.dumps(shown, sort_keys=True)))

    def answer(self, method):
        scenario, path = self.scenario_and_path()
        raw = self.body()
        self.log_request_body(raw)
        if scenario == "reset":
            # RST instead of FIN: SO_LINGER on with timeout 0, and the server closes this
            # socket without shutting it down first (Server.shutdown_request)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection._sfemu_reset = True
            self.close_connection = True
            return
        if scenario == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if scenario in HTML:
            status, reason, page = HTML[scenario]
            self.send(status, reason, "text/html;charset=UTF-8", page)
            return
        if not path.rstrip("/").endswith("/services/oauth2/token") and scenario != "ok":
            status, reason, page = HTML["http-404"]
            self.send(status, reason, "text/html;charset=UTF-8", page)
            return
        if method != "POST":
            status, reason, page = HTML["http-405"]
            self.send(status, reason, "text/html;charset=UTF-8", page)
            return
        nocache = [("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")]
        if scenario == "empty-200":
            self.send(200, "OK", "application/json;charset=UTF-8", "", nocache)
            return
        host = "https://%s" % (self.headers.get("Host") or "127.0.0.1")
        if scenario == "ok":
            body = {"access_token": FAKE_TOKEN, "scope": "api", "instance_url": host,
                    "id": host + "/id/00D000000000000EAA/005000000000000AAA",
                    "token_type": "Bearer"}
            self.send(200, "OK", "application/json;charset=UTF-8", json.dumps(body), nocache)
            return
        grant = urllib.parse.parse_qs(raw).get("grant_type", [""])[0]
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer" and scenario != "grant-type-not-supported":
            # what Salesforce answers first for any other grant type (or none)
            scenario = "grant-type-not-supported"
        err, desc = JSON_ERRORS[scenario]
        self.send(400, "Bad Request", "application/json;charset=UTF-8",
                  json.dumps({"error": err, "error_description": desc}, separators=(",", ":")),
                  nocache)

    def do_POST(self):
        self.answer("POST")

    def do_GET(self):
        self.answer("GET")


class Server(ThreadingHTTPServer):
    def shutdown_request(self, request):
        if getattr(request, "_sfemu_reset", False):
            self.close_request(request)  # no shutdown(SHUT_WR): that would send a FIN first
        else:
            super().shutdown_request(request)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--port-file")
    ap.add_argument("--scenario", choices=SCENARIOS)
    a = ap.parse_args()
    if a.scenario:
        Handler.default_scenario = a.scenario
    srv = Server(("127.0.0.1", a.port), Handler)
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    sys.stderr.write("emulator: listening on 127.0.0.1:%d (%s)\n" % (port, "https" if a.tls else "http"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
