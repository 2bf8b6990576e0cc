"""Scenario groups for clients.py (the scenarios themselves are defined in harness.py)."""
SERVER = ["user-not-approved", "invalid-assertion", "audience-invalid", "assertion-expired",
          "client-id-invalid", "app-not-found", "app-access-not-approved", "grant-type-not-supported",
          "login-rate-exceeded", "ip-restricted", "unknown-error-retry", "http-404", "http-405",
          "http-503", "html-200", "empty-200", "connection-reset", "dns-failure",
          "connection-refused", "tls-self-signed", "tls-hostname-mismatch", "tls-to-plain-http"]
KEYS = ["key-pkcs1", "key-encrypted", "key-weak-1024", "key-is-cert", "key-truncated",
        "key-missing", "key-empty", "key-literal-newlines", "key-is-public-key", "key-ec"]
ALL = SERVER + KEYS
