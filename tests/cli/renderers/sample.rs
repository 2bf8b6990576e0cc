//! One hand-built report that shows every feature of every renderer: four bundles (pass, warn,
//! fail, and a key-only pass), every status, fixes, multi-line and hostile text, the evidence
//! the renderers read (`file`, `line`/`column`, `details`, the inputs table's values, the
//! certificate's `not_after` and `days_left`) and the fleet summary. It names check ids as the
//! renderers look them up (`key.parse`, `cert.validity`, ...), but its findings are made here,
//! not by the checks: a new check does not change it.
//!
//! Its text is not made display-safe (a real run's findings are, by `Finding::sanitize`, before
//! any renderer sees them), so the snapshots show each renderer's own escaping: markdown's,
//! JUnit's and GitHub's; the text renderer has none and prints the text as it is.

use serde_json::{Map, Value, json};
use sfjwt::finding::{Finding, Status};
use sfjwt::report::{BundleReport, Report, RunInfo, SCHEMA_VERSION, Tool};

/// Text that tries to break every format: the markup of each, quotes, `%`, a line break, an
/// escape sequence, a workflow command and the end of a CDATA section.
pub const HOSTILE: &str = "a|b*c_d`e<f>&g\"h'i%j:k,l\r\nm\u{1b}[31mn::warning::x]]>o";

/// One finding; `evidence` is a JSON object.
fn finding(
    id: &'static str,
    status: Status,
    steps: &[u8],
    title: &'static str,
    message: &str,
    fix: Option<&str>,
    evidence: Value,
) -> Finding {
    let evidence: Map<String, Value> = match evidence {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Finding {
        id,
        status,
        steps: steps.to_vec(),
        title,
        message: message.to_string(),
        fix: fix.map(str::to_string),
        evidence: evidence.into(),
    }
}

/// The report: the four bundles at a fixed instant, as `--at` would give it.
pub fn report() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "sfjwt",
            version: "9.9.9-sample",
        },
        evaluated_at: "2026-11-29T13:00:00Z".to_string(),
        bundles: vec![passing(), warning(), failing(), key_only()],
        run: RunInfo {
            generated_at: "2026-12-03T09:30:00Z".to_string(),
            at_given: true,
            fail_on_warning: false,
            expiry_warn_days: 30,
            quiet: false,
            notes: vec![
                "$SFJWT_LOGIN_URL replaced the bundle's own value in 2 of 4 bundles: the \
                 environment overrides sfjwt.toml and the bundle's files; unset it to check each \
                 bundle's own"
                    .to_string(),
            ],
        },
    }
}

/// Everything given and read; no check covers step 4 (markdown says which registered check
/// would).
fn passing() -> BundleReport {
    use Status::{Info, Pass};
    let mut checks = passing_key_and_cert();
    checks.extend([
        finding(
            "consumer-key.format",
            Pass,
            &[3],
            "Consumer key",
            "the consumer key 3MVG9abc… has the shape of a consumer key",
            None,
            json!({"key": "3MVG9abc…", "length": 85, "fingerprint": "sha256:222222222222"}),
        ),
        finding(
            "consumer-secret.format",
            Info,
            &[3],
            "Consumer secret",
            "a consumer secret was given; the JWT grant does not use it",
            None,
            json!({"length": 64, "format": "hex", "fingerprint": "sha256:333333333333"}),
        ),
        finding(
            "login-url.host",
            Pass,
            &[5],
            "Login URL host",
            "https://login.salesforce.com is the production login host",
            None,
            json!({"url": "https://login.salesforce.com", "host_kind": "production", "environment": "production",
                   "token_endpoint": "https://login.salesforce.com/services/oauth2/token",
                   "default_audience": "https://login.salesforce.com", "source": "login_url in prod/sfjwt.toml"}),
        ),
        finding(
            "username.format",
            Pass,
            &[6],
            "Username",
            "the username has the shape of a Salesforce username",
            None,
            json!({"username": "integration@acme.com"}),
        ),
        finding(
            "assertion.claims",
            Pass,
            &[5, 7],
            "Assertion claims",
            "the test assertion has the claims Salesforce requires",
            None,
            json!({"details": ["header {\"alg\":\"RS256\"}", "exp 1795957380 = 2026-11-29T13:03:00Z (in 3 minutes)"],
                   "header": {"alg": "RS256"},
                   "claims": {"aud": "https://login.salesforce.com", "exp": 1_795_957_380, "sub": "integration@acme.com"},
                   "rules": [{"id": "exp", "status": "pass", "message": "exp is 3 minutes ahead"}]}),
        ),
    ]);
    BundleReport::new("prod".to_string(), checks)
}

/// The settings, key and certificate findings of [`passing`].
fn passing_key_and_cert() -> Vec<Finding> {
    use Status::Pass;
    vec![
        finding(
            "config.parse",
            Pass,
            &[1, 3, 5, 6],
            "Settings file",
            "prod/sfjwt.toml reads as valid settings",
            None,
            json!({"file": "prod/sfjwt.toml"}),
        ),
        finding(
            "key.parse",
            Pass,
            &[1],
            "Private key",
            "reads as a 2048-bit RSA private key (encrypted PKCS#8 PEM)",
            None,
            json!({"file": "prod/server.key", "origin": "prod/server.key", "bits": 2048, "format": "pkcs8-encrypted-pem",
                   "encrypted": true, "fingerprint": "sha256:111111111111"}),
        ),
        finding(
            "key.file-permissions",
            Pass,
            &[1],
            "Key file permissions",
            "the key file is accessible to its owner only (mode 0600)",
            None,
            json!({"mode": "0600"}),
        ),
        finding(
            "cert.parse",
            Pass,
            &[1],
            "Certificate",
            "reads as an X.509 certificate (PEM), self-signed; the file holds 2 certificates",
            None,
            json!({"file": "prod/server.crt", "origin": "prod/server.crt", "subject": "CN=prod", "issuer": "CN=prod",
                   "self_signed": true, "serial": "01ab", "public_key": "RSA 2048-bit",
                   "signature_algorithm": "sha256WithRSAEncryption", "not_before": "2025-01-01T00:00:00Z",
                   "not_after": "2125-01-01T00:00:00Z", "fingerprint": "sha256:111111111111", "chain_length": 2}),
        ),
        finding(
            "cert.validity",
            Pass,
            &[1],
            "Certificate validity",
            "the certificate is valid until 2125-01-01T00:00:00Z (35826 days)",
            None,
            json!({"not_after": "2125-01-01T00:00:00Z", "days_left": 35826}),
        ),
        finding(
            "cert.matches-key",
            Pass,
            &[1, 2],
            "Certificate matches key",
            "the certificate's public key is this private key's",
            None,
            json!({}),
        ),
    ]
}

/// A hostile name (markdown's code spans, table cells), an expiring certificate, a warning at a
/// line and column of its file, and a multi-line fix.
fn warning() -> BundleReport {
    use Status::{Pass, Skip, Warn};
    let hostile_fix = format!("Write it again:\nfirst `a | b` then {HOSTILE}\n100% done");
    let mut checks = warning_key_and_cert();
    checks.extend([
        finding(
            "cert.validity",
            Warn,
            &[1],
            "Certificate validity",
            "the certificate expires on 2026-12-10T00:00:00Z, in 10 days (warning within 30 days)",
            Some(
                "Make a new certificate from the same key: `openssl x509 -req -days 365`; upload it (Settings → OAuth Settings).",
            ),
            json!({"not_after": "2026-12-10T00:00:00Z", "days_left": 10}),
        ),
        finding(
            "username.format",
            Warn,
            &[6],
            "Username",
            &format!("the username {HOSTILE} has spaces <script>"),
            Some(&hostile_fix),
            json!({"file": "team/sfjwt.toml", "line": 3, "column": 12, "username": HOSTILE}),
        ),
        finding(
            "cert.matches-key",
            Pass,
            &[1, 2],
            "Certificate matches key",
            "the certificate's public key is this private key's",
            None,
            json!({}),
        ),
        finding(
            "assertion.signature",
            Skip,
            &[1, 2, 7],
            "Assertion signature",
            "no test assertion was made (see username.format)",
            None,
            json!({}),
        ),
        finding(
            "consumer-secret.format",
            Skip,
            &[3],
            "Consumer secret",
            "no consumer secret was given; it is optional",
            None,
            json!({}),
        ),
        finding(
            "login-url.host",
            Pass,
            &[5],
            "Login URL host",
            "acme--dev.sandbox.my.salesforce.com is a sandbox My Domain",
            None,
            json!({"host": "acme--dev.sandbox.my.salesforce.com", "host_kind": "my-domain", "environment": "sandbox"}),
        ),
    ]);
    BundleReport::new("team|<b>`x`".to_string(), checks)
}

/// The key and certificate findings of [`warning`].
fn warning_key_and_cert() -> Vec<Finding> {
    use Status::Pass;
    vec![
        finding(
            "key.parse",
            Pass,
            &[1],
            "Private key",
            "reads as a 4096-bit RSA private key (PKCS#1 PEM)",
            None,
            json!({"file": "team/server.key", "origin": "team/server.key", "bits": 4096, "format": "pkcs1-pem",
                   "fingerprint": "sha256:444444444444"}),
        ),
        finding(
            "cert.parse",
            Pass,
            &[1],
            "Certificate",
            "reads as an X.509 certificate (PEM) issued by a CA",
            None,
            json!({"file": "team/server.crt", "origin": "team/server.crt", "subject": "CN=team, O=A|B", "issuer": "CN=Acme CA",
                   "self_signed": false, "not_after": "2026-12-10T00:00:00Z", "fingerprint": "sha256:555555555555"}),
        ),
    ]
}

/// Failures with and without a file, an expired certificate, skips, a live check that failed
/// on step 4, a login URL that cannot be used, and inputs not given.
fn failing() -> BundleReport {
    use Status::{Fail, Skip};
    let mut checks = failing_key_and_cert();
    checks.extend([
        finding(
            "login-url.host",
            Fail,
            &[5],
            "Login URL host",
            "acme.lightning.force.com is a Lightning Experience host, not a login host",
            Some("Use https://acme.my.salesforce.com."),
            json!({"file": "broken/sfjwt.toml", "line": 4, "column": 13, "host": "acme.lightning.force.com",
                   "problem": "not-login-host", "source": "login_url in broken/sfjwt.toml"}),
        ),
        finding("consumer-key.format", Skip, &[3], "Consumer key", "no consumer key was given (--consumer-key)", None, json!({})),
        finding(
            "username.format",
            Skip,
            &[6],
            "Username",
            "no username was given (--username)",
            None,
            json!({}),
        ),
        finding(
            "token.exchange",
            Fail,
            &[4],
            "Token exchange",
            "Salesforce answered invalid_grant: user hasn't approved this consumer",
            Some("Pre-authorize the user's profile in the app's policies."),
            json!({"error": "invalid_grant"}),
        ),
        finding(
            "assertion.claims",
            Skip,
            &[5, 7],
            "Assertion claims",
            "no test assertion was made (see login-url.host)",
            None,
            json!({}),
        ),
        finding(
            "assertion.signature",
            Skip,
            &[1, 2, 7],
            "Assertion signature",
            "no test assertion was made (see key.parse)",
            None,
            json!({}),
        ),
    ]);
    BundleReport::new("broken".to_string(), checks)
}

/// The key and certificate findings of [`failing`].
fn failing_key_and_cert() -> Vec<Finding> {
    use Status::{Fail, Pass, Skip};
    vec![
        finding(
            "key.parse",
            Fail,
            &[1],
            "Private key",
            "does not read as a private key: line 2 \"<-----BEGIN KEY>\" & 'x'\nis not base64\tat column 1",
            Some("Export the key again as PEM.\nThen run sfjwt again."),
            json!({"file": "broken/server.key", "line": 2, "error": "bad base64 <at> line 2"}),
        ),
        finding(
            "key.strength",
            Skip,
            &[1],
            "Key strength",
            "the private key did not read (see key.parse)",
            None,
            json!({}),
        ),
        finding(
            "cert.parse",
            Pass,
            &[1],
            "Certificate",
            "reads as an X.509 certificate (DER)",
            None,
            json!({"file": "broken/server.crt", "origin": "broken/server.crt", "not_after": "2025-01-01T00:00:00Z",
                   "fingerprint": "sha256:666666666666"}),
        ),
        finding(
            "cert.validity",
            Fail,
            &[1],
            "Certificate validity",
            "the certificate expired on 2025-01-01T00:00:00Z, 697 days ago",
            Some("Make a new certificate."),
            json!({"not_after": "2025-01-01T00:00:00Z", "days_left": -697}),
        ),
    ]
}

/// A key and no certificate: passes, with the certificate "not given". Like `prod` and
/// `team`, only step 4 has no finding: the one checklist line that reads the registry.
fn key_only() -> BundleReport {
    use Status::{Pass, Skip};
    BundleReport::new(
        "key-only".to_string(),
        vec![
            finding(
                "config.parse",
                Pass,
                &[1, 3, 5, 6],
                "Settings file",
                "key-only/sfjwt.toml reads as valid settings",
                None,
                json!({"file": "key-only/sfjwt.toml"}),
            ),
            finding(
                "key.parse",
                Pass,
                &[1],
                "Private key",
                "reads as a 2048-bit RSA private key (PKCS#8 PEM)",
                None,
                json!({"file": "key-only/server.key", "origin": "key-only/server.key", "bits": 2048, "format": "pkcs8-pem"}),
            ),
            finding(
                "cert.parse",
                Skip,
                &[1],
                "Certificate",
                "no certificate was given (--cert, or server.crt in a bundle directory)",
                None,
                json!({}),
            ),
            finding(
                "assertion.signature",
                Skip,
                &[1, 2, 7],
                "Assertion signature",
                "no certificate was given (--cert, or server.crt in a bundle directory)",
                None,
                json!({}),
            ),
        ],
    )
}
