//! cert.parse, cert.matches-key, cert.validity, cert.signature-algorithm: the certificate made in
//! setup step 1 and uploaded to the External Client App in step 2.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::assertion::ASSERTION_SIGNATURE;
use super::key::{file_evidence, repair_worth_fixing, unreadable};
use super::{Check, Docs, Group, Scratch, Skip, absent, require};
use crate::bundle::cert::{CertPublicKey, CertificateFile, HashStrength};
use crate::bundle::key::{CMD_CERT, CMD_CSR, CMD_GENKEY, PrivateKey, UPLOAD_CERT};
use crate::bundle::{Bundle, Loaded};
use crate::context::Context;
use crate::finding::Outcome;
use crate::steps::Step;

/// Making a new certificate from the same key, and uploading it: rotation.
const ROTATE: &str = "Make a new certificate from the same key: `openssl req -new -key server.key -out server.csr`, then `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`; upload the new server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow). The consumer key does not change, and with the same key nothing else needs updating.";

pub static CERT_PARSE: Check = Check {
    id: "cert.parse",
    title: "Certificate reads",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The certificate reads as an X.509 certificate.",
        what: "Reads the certificate from --cert or server.crt in the bundle directory, PEM or DER, or, when neither is given and the key is a keystore (PKCS#12, JKS), the certificate of the key's entry (the message then says \"from the keystore entry ALIAS of FILE\"), and reports its subject, its issuer, whether it is self-signed, its serial number and dates. A file with several certificates (a chain) passes: the first is the one checked and the others are listed. When the input is not a certificate, the check names what it is: the private key, the CSR (server.csr), a bare public key, a PKCS#12 or PKCS#7 bundle, a truncated or empty file. It warns when the file also holds a private key, or needed repairs that a file upload would not survive.",
        why: "Salesforce verifies the assertion's signature with the public key of the certificate uploaded to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow); this is the file that must be uploaded, and it must be the certificate, never the private key. A CSR or a bare public key is not accepted as a certificate.",
        fix: "Give the server.crt made in setup step 1. If you only have server.key and server.csr: `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`; without the CSR, first `openssl req -new -key server.key -out server.csr`. Check the file with `openssl x509 -in server.crt -noout -subject -dates`, then upload it to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow).",
        references: &[
            "Setup guide, steps 1 and 2: create server.crt, upload it under Enable JWT Bearer Flow (reference/setup-guide.txt)",
            "Salesforce Metadata API: ExtlClntAppGlobalOauthSettings.certificate, the PEM-encoded certificate string that enables the JWT Bearer flow (API 60.0+)",
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm",
            "Salesforce DX Developer Guide: Create a Private Key and Self-Signed Digital Certificate, https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_auth_key_and_cert.htm",
            "RFC 5280: Internet X.509 Public Key Infrastructure Certificate and CRL Profile",
        ],
    },
    run: cert_parse,
};

pub static CERT_MATCHES_KEY: Check = Check {
    id: "cert.matches-key",
    title: "Certificate matches key",
    steps: &[Step::KeyAndCert, Step::App],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The certificate's public key is the private key's public key.",
        what: "Compares the certificate's SubjectPublicKeyInfo with the public half of the private key, byte for byte, and shows the fingerprint they share (SHA-256 of the public key). On a mismatch, shows both fingerprints. Fails too when the certificate's key is not RSA.",
        why: "Salesforce checks the assertion's RS256 signature with the uploaded certificate's public key. A key that is not the one the certificate was made from (a regenerated key, an old certificate, a certificate from another app or org) signs assertions that Salesforce rejects with `invalid_grant` / `invalid assertion`.",
        fix: "Make server.crt again from this server.key: `openssl req -new -key server.key -out server.csr`, `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, and upload it to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow). Or sign with the private key the uploaded certificate was made from. To compare by hand, `openssl pkey -in server.key -pubout | openssl sha256` and `openssl x509 -in server.crt -noout -pubkey | openssl sha256` print the same hash when they match.",
        references: &[
            "reference/salesforce-jwt.md row 3: `invalid_grant` / `invalid assertion` when the key does not match the uploaded certificate",
            "frankkessler/salesforce-laravel-oauth2-rest#68 and forcedotcom/sfdx-travisci#135 (\"I used the wrong set of JWT key\")",
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm",
            "help.aprity.ai/docs/troubleshooting/jwt-verification-fails: certificate mismatch as the first cause of JWT verification failures",
        ],
    },
    run: cert_matches_key,
};

pub static CERT_VALIDITY: Check = Check {
    id: "cert.validity",
    title: "Certificate validity",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The certificate is valid at --at (default: now) and for more than --expiry-warn-days (default 30) after it.",
        what: "Compares the certificate's notBefore and notAfter with the instant of the run (--at, or now). Expired warns (Salesforce still accepts it), and fails with --expiry-fail-days N, as does expiring within N days; not yet valid warns and says when it becomes valid; expiring within --expiry-warn-days warns with the days left; otherwise passes with the end date.",
        why: "Salesforce does not block JWT logins when the app's certificate expires: Salesforce product management stated that, by design, nothing happens when it expires, to tolerate lapses in certificate management (Salesforce StackExchange 313488). Logins may keep working, but an expired certificate fails security reviews, may be refused by future Salesforce releases, and must be replaced before anyone relies on it. A certificate that is not valid yet usually means a wrong clock where it was made (or a wrong --at); whether Salesforce checks the start date is not documented.",
        fix: "A pipeline that must not ship an expired certificate passes --expiry-fail-days 0 (or more days, with --at the release date). Rotate it: make a new certificate from the same key with `openssl req -new -key server.key -out server.csr` and `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, then upload it to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow). The consumer key does not change; with the same key, nothing else changes. Use -days to choose its lifetime. For a certificate that is not valid yet, check the clock of the machine that made it and the --at given to sfjwt.",
        references: &[
            "Salesforce StackExchange 313488: Do expired certificates for Salesforce connected applications block connections?, https://salesforce.stackexchange.com/questions/313488/do-expired-certificates-for-salesforce-connected-applications-block-connections",
            "Setup guide, step 1: `openssl x509 -req -sha256 -days 365 ...` (reference/setup-guide.txt)",
            "RFC 5280 §4.1.2.5: Validity",
        ],
    },
    run: cert_validity,
};

pub static CERT_SIGNATURE_ALGORITHM: Check = Check {
    id: "cert.signature-algorithm",
    title: "Certificate signature algorithm",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The certificate is signed with SHA-256 or stronger (sha256/384/512 with RSA, RSA-PSS with SHA-256 or more, ECDSA with SHA-256 or more).",
        what: "Reads the algorithm the certificate itself is signed with (not the algorithm of the JWT, which is always RS256). SHA-256 or stronger passes; SHA-1, MD5 and MD2 warn, saying it is unconfirmed whether Salesforce still accepts them; anything else (SHA-224, Ed25519, unknown OIDs) warns.",
        why: "Salesforce verifies the assertion with the certificate's public key only, so the hash of the certificate's own signature does not enter the JWT check itself. But SHA-1 and MD5 are broken for signatures (a SHA-1 collision was published in 2017), current OpenSSL security levels and browsers reject such certificates, and whether Salesforce still accepts uploading a SHA-1-signed certificate is not documented anywhere we found. The setup guide signs with -sha256, and MuleSoft's Salesforce connector accepts only SHA256withRSA certificates for its OAuth JWT connection. Since the JWT check itself does not use the certificate's hash, logins may keep working, and nothing confirms either way whether the upload is refused: by sfjwt's one severity rule (docs/checks.md) that is a warning that says it is unconfirmed; re-signing costs one command and keeps the key.",
        fix: "Re-sign the certificate with SHA-256, keeping the same key: `openssl req -new -key server.key -out server.csr` (if you no longer have server.csr), then `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, and upload the new server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow). The consumer key does not change.",
        references: &[
            "Setup guide, step 1: `openssl x509 -req -sha256 ...` (reference/setup-guide.txt)",
            "MuleSoft Salesforce Connector reference: signed certificates are supported only with SHA256withRSA for the OAuth JWT connection type (mulesoft/docs-connectors PR#2770)",
            "SHAttered: the first SHA-1 collision (Stevens et al., 2017), https://shattered.io",
            "RFC 9155: Deprecating MD5 and SHA-1 Signature Hashes in TLS 1.2 and DTLS 1.2",
            "reference/salesforce-jwt.md §2.1: the assertion itself is signed with RS256",
        ],
    },
    run: cert_signature_algorithm,
};

/// RFC 3339, or a plain rendering for dates RFC 3339 cannot hold.
pub(super) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

fn strings(items: &[String]) -> Value {
    Value::from(
        items
            .iter()
            .map(|s| Value::from(s.as_str()))
            .collect::<Vec<_>>(),
    )
}

/// The checks that need the certificate, named when it is not given.
pub(super) const NOT_RUN_WITHOUT_CERT: &[&Check] = &[
    &CERT_MATCHES_KEY,
    &CERT_VALIDITY,
    &CERT_SIGNATURE_ALGORITHM,
    &ASSERTION_SIGNATURE,
];

fn cert_parse(bundle: &Bundle, _ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let origin = bundle.cert.origin.as_ref();
    let with_origin = |o: Outcome| match origin {
        Some(or) => file_evidence(o.with("origin", or.to_string()), or),
        None => o,
    };
    let file = match &bundle.cert.state {
        Loaded::Missing(reason) => {
            return Ok(absent::not_given(
                reason,
                absent::Input::Cert,
                NOT_RUN_WITHOUT_CERT,
            ));
        }
        Loaded::NotInBundle(missing) => {
            return Ok(absent::not_in_bundle(missing, absent::Input::Cert));
        }
        Loaded::Unreadable(err) => return Ok(with_origin(unreadable("certificate", origin, err))),
        Loaded::Invalid(err) => {
            let from = origin
                .map(|o| format!("; read from {o}"))
                .unwrap_or_default();
            return Ok(with_origin(
                Outcome::fail(format!("{}{from}", err.message()), err.fix())
                    .with("error", err.code()),
            ));
        }
        Loaded::Ok(file) => file,
    };
    Ok(with_origin(parsed(file, origin)))
}

/// cert.parse on a file that decoded: the first certificate's subject, issuer, dates and
/// fingerprint, the rest of a chain, and what was repaired.
fn parsed(file: &CertificateFile, origin: Option<&crate::bundle::Origin>) -> Outcome {
    let c = &file.first;
    // A certificate taken from the keystore given as the key says so; a file is in evidence.
    let from = match origin {
        Some(o @ crate::bundle::Origin::Keystore { .. }) => format!(" from {o}"),
        _ => String::new(),
    };
    let issued = if c.self_signed {
        "self-signed".to_string()
    } else {
        format!("issued by {}", c.issuer)
    };
    let mut message = format!(
        "reads as an X.509 certificate ({}){from}: subject {}, {issued}",
        file.format, c.subject
    );
    if !file.others.is_empty() {
        message.push_str(&format!(
            "; {} in the file {} not checked: {} (when a file with several certificates is uploaded, Salesforce uses the first)",
            crate::words::count(file.others.len() as i64, "more certificate", "more certificates"),
            if file.others.len() == 1 { "was" } else { "were" },
            file.others.join("; ")
        ));
    }
    if !file.repairs.is_empty() {
        message.push_str(&format!(
            "; repaired before reading: {}",
            file.repairs.join("; ")
        ));
    }

    let mut outcome = if file.contains_private_key {
        message.push_str("; the file also holds a private key");
        Outcome::warn(
            message,
            "Upload a file with the certificate alone, never the private key: `openssl x509 -in server.crt -out server.crt.new` writes only the certificate; use server.crt.new. If the combined file was shared or uploaded, treat the key as exposed: make a new key and certificate.",
        )
    } else if file.repairs.iter().any(|r| repair_worth_fixing(r))
        || file.repairs.iter().any(|r| {
            r == crate::bundle::pem_text::REPAIR_LITERAL_NEWLINES
                || r == crate::bundle::pem_text::REPAIR_QUOTES
                || r == crate::bundle::pem_text::REPAIR_JSON_SLASHES
                || r == crate::bundle::pem_text::REPAIR_BASE64_PEM
        })
    {
        // Salesforce reads the uploaded file as it is: it does not undo escapes or quotes.
        Outcome::warn(
            message,
            "Upload the certificate file as OpenSSL wrote it, not text copied from a secret or a chat; `openssl x509 -in server.crt -noout -subject` must read it as it is.",
        )
    } else {
        Outcome::pass(message)
    };
    outcome = outcome
        .with("format", file.format.code())
        .with("subject", c.subject.as_str())
        .with("issuer", c.issuer.as_str())
        .with("self_signed", c.self_signed)
        .with("serial", c.serial.as_str())
        .with("not_before", rfc3339(c.not_before))
        .with("not_after", rfc3339(c.not_after))
        .with("public_key", c.public_key.to_string())
        .with("fingerprint", c.fingerprint())
        .with("signature_algorithm", c.signature_algorithm.name.as_str())
        .with("chain_length", 1 + file.others.len());
    if !file.others.is_empty() {
        outcome = outcome.with("others", strings(&file.others));
    }
    if !file.repairs.is_empty() {
        outcome = outcome.with("repairs", strings(&file.repairs));
    }
    outcome
}

fn cert_matches_key(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let file = require::cert(bundle)?;
    let key = require::key(bundle)?;
    Ok(matches_key(file, key))
}

fn matches_key(file: &CertificateFile, key: &PrivateKey) -> Outcome {
    let cert = &file.first;
    let key_fp = key.fingerprint();
    let cert_fp = cert.fingerprint();
    if !matches!(cert.public_key, CertPublicKey::Rsa { .. }) {
        return Outcome::fail(
            format!(
                "the certificate holds an {} public key, not RSA: it was not made from this RSA private key, and Salesforce needs RSA for RS256 (key {key_fp}, certificate {cert_fp})",
                cert.public_key
            ),
            format!(
                "Make the certificate from the RSA key: `{CMD_CSR}`, `{CMD_CERT}`, and {UPLOAD_CERT}. If you have no RSA key yet: `{CMD_GENKEY}` first."
            ),
        )
        .with("key_fingerprint", key_fp)
        .with("cert_fingerprint", cert_fp)
        .with("cert_public_key", cert.public_key.to_string());
    }
    if cert.spki_der == key.spki_der {
        Outcome::pass(format!(
            "the certificate's public key is this private key's public key ({key_fp})"
        ))
        .with("fingerprint", key_fp)
    } else if let Some(pos) = file.rest.iter().position(|c| c.spki_der == key.spki_der) {
        let matching = file.rest.get(pos).map(|c| c.subject.as_str()).unwrap_or("");
        Outcome::fail(
            format!(
                "the first certificate in the file was not made from this private key (key {key_fp}, certificate {cert_fp}), but certificate {} in the file ({matching}) was; Salesforce uses the first, and will answer invalid_grant / invalid assertion",
                pos + 2
            ),
            format!(
                "Upload the certificate made from this key ({matching}) alone: copy its -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- block into its own file, check it with `openssl x509 -in that-file -noout -subject`, and upload it to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow)."
            ),
        )
        .with("key_fingerprint", key_fp)
        .with("cert_fingerprint", cert_fp)
        .with("matching_position", pos + 2)
    } else {
        Outcome::fail(
            format!(
                "the certificate was not made from this private key (key {key_fp}, certificate {cert_fp}): Salesforce will answer invalid_grant / invalid assertion"
            ),
            format!(
                "Make server.crt again from this server.key with the setup guide's commands: `{CMD_CSR}`, then `{CMD_CERT}`; and {UPLOAD_CERT}. Or sign with the private key the uploaded certificate was made from."
            ),
        )
        .with("key_fingerprint", key_fp)
        .with("cert_fingerprint", cert_fp)
    }
}

/// `days` as a Duration, without overflow.
fn days(n: i64) -> Duration {
    Duration::seconds(n.saturating_mul(86_400))
}

fn cert_validity(bundle: &Bundle, ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let file = require::cert(bundle)?;
    Ok(validity(&file.first, ctx))
}

fn validity(c: &crate::bundle::cert::Certificate, ctx: &Context) -> Outcome {
    let at = ctx.at;
    let not_before = rfc3339(c.not_before);
    let not_after = rfc3339(c.not_after);
    let days_left = (c.not_after - at).whole_days();
    // Salesforce accepts an expired certificate for JWT logins: expiry warns, unless the run
    // asked for it to fail (--expiry-fail-days).
    let fails_within = ctx.expiry_fail_days;
    let expiry = |message: String| match fails_within {
        Some(n) => Outcome::fail(
            format!("{message}; --expiry-fail-days {n} makes that a failure"),
            ROTATE,
        ),
        None => Outcome::warn(message, ROTATE),
    };
    let outcome = if at < c.not_before {
        let wait = (c.not_before - at).whole_days();
        Outcome::warn(
            format!(
                "the certificate is not valid yet: it becomes valid on {not_before}, {} after {}; whether Salesforce refuses a certificate before its start date is unconfirmed (it does not refuse expired ones), but a start in the future usually means a wrong clock where it was made",
                crate::words::count(wait, "day", "days"),
                rfc3339(at)
            ),
            format!(
                "Check the clock of the machine that made the certificate (and the --at given to sfjwt); or make it again now: `{CMD_CSR}`, `{CMD_CERT}`, and {UPLOAD_CERT}."
            ),
        )
    } else if at > c.not_after {
        expiry(format!(
            "the certificate expired on {not_after}, {} before {}; Salesforce does not block JWT logins when the app's certificate expires (by design, it tolerates lapses: SE 313488), so logins keep working, but rotate it",
            crate::words::count(-days_left, "day", "days"),
            rfc3339(at)
        ))
    } else if fails_within.is_some_and(|n| c.not_after - at <= days(n)) {
        expiry(format!(
            "the certificate expires on {not_after}, in {}",
            crate::words::count(days_left, "day", "days"),
        ))
    } else if c.not_after - at <= days(ctx.expiry_warn_days) {
        Outcome::warn(
            format!(
                "the certificate expires on {not_after}, in {} (warning within {} days)",
                crate::words::count(days_left, "day", "days"),
                ctx.expiry_warn_days
            ),
            ROTATE,
        )
    } else {
        Outcome::pass(format!(
            "the certificate is valid until {not_after} ({days_left} days)"
        ))
    };
    // For monitors: the instants from which this certificate warns and (when asked) fails.
    let before_end = |n: i64| c.not_after.checked_sub(days(n)).map(rfc3339);
    let mut outcome = outcome
        .with("not_before", not_before)
        .with("not_after", not_after)
        .with("days_left", days_left)
        .with("at", rfc3339(at));
    if let Some(from) = before_end(ctx.expiry_warn_days) {
        outcome = outcome.with("warns_from", from);
    }
    match fails_within.and_then(before_end) {
        Some(from) => outcome.with("fails_from", from),
        None => outcome,
    }
}

fn cert_signature_algorithm(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let alg = &require::cert(bundle)?.first.signature_algorithm;
    let resign = format!(
        "Re-sign the certificate with SHA-256, keeping the key: `{CMD_CSR}` (if you no longer have server.csr), then `{CMD_CERT}`; and {UPLOAD_CERT}. The consumer key does not change."
    );
    let outcome = match alg.strength {
        HashStrength::Strong => Outcome::pass(format!(
            "the certificate is signed with {} (SHA-256 or stronger)",
            alg.name
        )),
        HashStrength::Weak => Outcome::warn(
            format!(
                "the certificate is signed with {}, a broken hash for signatures: the JWT login checks the assertion with the certificate's public key only, so it may keep working, but whether Salesforce still accepts uploading such a certificate is unconfirmed; re-sign it",
                alg.name
            ),
            resign,
        ),
        HashStrength::Unknown => Outcome::warn(
            format!(
                "the certificate is signed with {}, which is not a hash sfjwt knows to be SHA-256 or stronger",
                alg.name
            ),
            resign,
        ),
    };
    Ok(outcome
        .with("algorithm", alg.name.as_str())
        .with("oid", alg.oid.as_str()))
}

mod rotation;
pub use rotation::CERT_ROTATION;

#[cfg(test)]
mod tests;
