#!/usr/bin/env python3
"""One JWT Bearer login through a Python client's own code path; errors are left uncaught,
so what is printed is what the client (and Python) print.

  drive_python.py CLIENT URL KEYFILE CONSUMER_KEY USERNAME
  CLIENT: simple-salesforce | pyjwt-requests | authlib | aiosalesforce
"""
import sys
import time

client, url, keyfile, consumer_key, username = sys.argv[1:6]
host = url.split("://", 1)[1]

if client == "simple-salesforce":
    from simple_salesforce import Salesforce
    # simple-salesforce builds https://{domain}.salesforce.com/services/oauth2/token; the
    # emulator answers on any path ending in /services/oauth2/token.
    sf = Salesforce(username=username, consumer_key=consumer_key, privatekey_file=keyfile,
                    domain=host + "/sfemu")
    print("logged in:", sf.sf_instance)

elif client == "pyjwt-requests":
    import jwt
    import requests
    key = open(keyfile, "rb").read()
    claims = {"iss": consumer_key, "sub": username, "aud": "https://login.salesforce.com",
              "exp": int(time.time()) + 180}
    assertion = jwt.encode(claims, key, algorithm="RS256")
    r = requests.post(url + "/services/oauth2/token", timeout=30, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion})
    r.raise_for_status()
    token = r.json()["access_token"]
    print("access token received")

elif client == "authlib":
    from authlib.integrations.requests_client import AssertionSession
    key = open(keyfile, "rb").read()
    session = AssertionSession(
        token_endpoint=url + "/services/oauth2/token",
        grant_type=AssertionSession.JWT_BEARER_GRANT_TYPE,
        issuer=consumer_key, subject=username, audience="https://login.salesforce.com",
        key=key, header={"alg": "RS256"}, expires_at=None)
    # the first request fetches the token (AssertionAuth.ensure_active_token)
    r = session.get(url + "/services/data/")
    print(r.status_code)
elif client == "aiosalesforce":
    import asyncio
    import os
    import ssl
    import httpx
    from aiosalesforce import Salesforce
    from aiosalesforce.auth import JwtBearerFlow

    async def login():
        # the harness's trusted test CA, where the scenario trusts it (as a user's own CA file)
        ca = os.environ.get("SSL_CERT_FILE")
        verify = ssl.create_default_context(cafile=ca) if ca else True
        async with httpx.AsyncClient(verify=verify) as http:
            # aiosalesforce accepts only My Domain URLs (https://x.my.salesforce.com): it is given
            # one, and the loopback emulator's URL is put in its place after that check
            loopback = host.startswith("127.0.0.1") or host.endswith(".invalid")
            sf = Salesforce(http, base_url="https://acme.my.salesforce.com" if loopback else url,
                            auth=JwtBearerFlow(client_id=consumer_key, username=username,
                                               private_key_file=keyfile))
            if loopback:
                sf._Salesforce__base_url = url
            await sf.auth.get_access_token(sf)
            print("access token received")

    asyncio.run(login())
else:
    raise SystemExit("unknown client " + client)
