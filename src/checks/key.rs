//! key.parse, key.strength, key.file-permissions: the private key made in setup step 1.

use serde_json::Value;

use super::assertion::{ASSERTION_CLAIMS, ASSERTION_SIGNATURE};
use super::cert::CERT_MATCHES_KEY;
use super::{Check, Docs, Group, Scratch, Skip, absent, require};
use crate::bundle::key::{
    CMD_CERT, CMD_CSR, CMD_GENKEY, KeyError, OpensslEnc, PrivateKey, UPLOAD_CERT,
};
use crate::bundle::pem_text;
use crate::bundle::salted;
use crate::bundle::source::ReadError;
use crate::bundle::{Bundle, Loaded, Origin};
use crate::context::Context;
use crate::finding::Outcome;
use crate::steps::Step;

pub static KEY_PARSE: Check = Check {
    id: "key.parse",
    title: "Private key reads",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The private key reads as an RSA private key (after decryption with the passphrase, if it is encrypted).",
        what: "Reads the private key from --key, $SFJWT_PRIVATE_KEY, standard input or server.key in the bundle directory: PEM or DER, PKCS#1 (-----BEGIN RSA PRIVATE KEY-----) or PKCS#8 (-----BEGIN PRIVATE KEY-----), or encrypted with its passphrase in any form OpenSSL writes: PKCS#8 (-----BEGIN ENCRYPTED PRIVATE KEY-----) with PBES2 (AES-128/192/256-CBC, DES-EDE3-CBC or DES-CBC; PBKDF2 with HMAC-SHA1, SHA-224, SHA-256, SHA-384 or SHA-512, or scrypt: what `openssl genpkey -aes-256-cbc` and `openssl genrsa -des3` write), PBES1 or PKCS#12 PBE with DES or 3DES (`openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES`), or the legacy `Proc-Type: 4,ENCRYPTED` PEM (`openssl rsa -traditional -des3` or `-aes256`); or a keystore, recognised by its content and opened with the passphrase as its password: PKCS#12 (`.p12`, `.pfx`: what `openssl pkcs12 -export` writes, AES-256 with PBKDF2 and an HMAC-SHA256 MAC, or with `-legacy` 3DES and RC2-40 with HMAC-SHA1; and `keytool -storetype PKCS12`) or a Java KeyStore (JKS or JCEKS: its SHA-1 integrity check, Sun's key protectors). Or an `openssl enc` file as pipelines keep the key in a repository (server.key.enc: `Salted__` and a salt, or its base64 from `-a`, starting U2FsdGVkX1). Such a file records none of its parameters, so sfjwt tries those OpenSSL users pick, cheapest first: EVP_BytesToKey with MD5, SHA-256 or SHA-1 (no -pbkdf2), then PBKDF2 with HMAC-SHA256 (1000, 10000 or 100000 iterations) or HMAC-SHA512 (10000 or 100000), each with AES-256-CBC, AES-128-CBC, AES-192-CBC, DES-EDE3-CBC or AES-256-CTR, and names the ones that decrypt the file to a key; a file made with other parameters (another -iter, ARIA, Camellia) or -nosalt is not read, and the finding gives the `openssl enc -d` command. A keystore with several private key entries needs --key-alias (or $SFJWT_KEY_ALIAS, or key_alias in sfjwt.toml), and the pass message names the entry. Text mangled on the way is repaired first and the repair reported: literal \\n escapes from CI secrets and .env files, Windows line endings, a byte order mark, surrounding quotes, indentation, the PEM squeezed onto one line; a key stored as `base64 -w0 server.key` is decoded (it passes: that is how to keep a key's line breaks in a secret). When the input is not a usable key, the check names what it is instead: the certificate, the CSR, a public key, an EC or Ed25519 key, an OpenSSH or PuTTY key, a keystore whose password is wrong, that holds no private key entry (trusted certificates only), several without an alias to choose one, or a JKS entry whose key has a password of its own, a key encrypted with a scheme sfjwt does not decrypt (RC2, RC4, Camellia), a truncated or empty file. Passes with the format, the size and the fingerprint (SHA-256 of the public key), never the key itself.",
        why: "The JWT assertion is signed with this key (RS256: SHA-256 with RSA). A key that does not read stops the client before any request reaches Salesforce, with errors such as OpenSSL's `PEM_read_bio:no start line` (newlines stripped from a CI secret) or `Neither PUB key nor PRIV key: nested asn1 error` (a key in the wrong format). Salesforce needs an RSA key: EC and Ed25519 keys cannot sign RS256.",
        fix: "Give the server.key made in setup step 1, whole, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----. Test it with `openssl pkey -in server.key -noout`. Encrypted: give the passphrase through $SFJWT_KEY_PASSPHRASE or `key_passphrase_env` in sfjwt.toml, or decrypt once with `openssl pkey -in server.key -out server.key.new` (the setup guide's `openssl rsa -passin pass:... -in server.pass.key -out server.key` does the same). An openssl enc file made without -pbkdf2 (a warning: one hash per guessed passphrase, for anyone with the repository): re-encrypt it with `openssl enc -aes-256-cbc -pbkdf2 -salt`. Encrypted with RC2 or RC4: re-encrypt with `openssl pkcs8 -topk8 -provider legacy -provider default -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new`. OpenSSH key: `ssh-keygen -p -m PEM -f copy-of-key`. Wrong key type or lost key: make a new pair with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key`, `openssl req -new -key server.key -out server.csr`, `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, and upload server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow).",
        references: &[
            "Setup guide, step 1: create a private key and self-signed digital certificate (reference/setup-guide.txt)",
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm",
            "Salesforce DX Developer Guide: Create a Private Key and Self-Signed Digital Certificate, https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_auth_key_and_cert.htm",
            "forcedotcom/sfdx-travisci#135: `PEM_read_bio:no start line` from a key whose newlines were stripped in CI",
            "restforce/restforce#702: `Neither PUB key nor PRIV key: nested asn1 error` from a key in the wrong format",
            "docs.withampersand.com/customer-guides/salesforce-jwt and amp-labs/connectors PR#2859: Salesforce does not accept EC keys for the JWT Bearer flow",
            "RFC 7468 (PEM textual encodings), RFC 5958 (PKCS#8), RFC 8018 (PBES2, PBES1), RFC 7292 appendix B (the PKCS#12 key derivation), RFC 8017 (PKCS#1)",
        ],
    },
    run: key_parse,
};

pub static KEY_STRENGTH: Check = Check {
    id: "key.strength",
    title: "Key size",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The RSA modulus has at least 2048 bits.",
        what: "Reads the size of the private key's RSA modulus. Fewer than 2048 bits fails; more than 4096 bits is reported as information.",
        why: "The setup guide and every official Salesforce recipe make a 2048-bit key (`rsa_keygen_bits:2048`); Salesforce's own Certificate and Key Management makes 2048, 3072 or 4096-bit keys. RSA keys under 2048 bits are disallowed for signatures by NIST SP 800-131A and refused by current security policies, and they may be refused by Salesforce at any time. The smallest and largest sizes Salesforce accepts for an uploaded certificate are not documented.",
        fix: "Make a 2048-bit key and a certificate for it, then upload the certificate: `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key`, `openssl req -new -key server.key -out server.csr`, `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, then upload server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow) and use the new server.key wherever the JWT is signed. The consumer key does not change.",
        references: &[
            "Setup guide, step 1: `openssl genpkey ... -pkeyopt rsa_keygen_bits:2048` (reference/setup-guide.txt)",
            "NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms and Key Lengths (RSA below 2048 bits disallowed for signature generation)",
            "Salesforce Help: Certificates and Keys (self-signed and CA-signed certificates, 2048/3072/4096-bit keys)",
            "reference/salesforce-jwt.md §2.8: minimum and maximum key size for uploaded certificates UNCONFIRMED",
        ],
    },
    run: key_strength,
};

pub static KEY_FILE_PERMISSIONS: Check = Check {
    id: "key.file-permissions",
    title: "Key file permissions",
    steps: &[Step::KeyAndCert],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The key file is not readable (or writable) by group or others (Unix).",
        what: "When the private key comes from a file, looks at the file's Unix permission bits. Any access for the group or for others warns; owner-only (0600 or 0400) passes. Skipped when the key comes from an environment variable or standard input, and on systems without Unix permissions.",
        why: "Whoever holds server.key can log in to Salesforce as the integration user, without a password, for as long as the certificate stays uploaded: the JWT Bearer flow trusts any assertion the key signs. OpenSSH refuses to use private keys that others can read for the same reason.",
        fix: "Restrict the file to its owner: `chmod 600 server.key` (and keep it out of version control). If it was readable on a shared machine, consider it exposed: make a new key and certificate and upload the certificate.",
        references: &[
            "ssh(1), FILES: private key files must not be accessible by others",
            "CWE-732: Incorrect Permission Assignment for Critical Resource",
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm",
        ],
    },
    run: key_file_permissions,
};

/// Repairs after which the text would still trip OpenSSL and most libraries: worth fixing
/// where the text is stored, not only noting.
pub(super) fn repair_worth_fixing(repair: &str) -> bool {
    [
        pem_text::REPAIR_ONE_LINE,
        pem_text::REPAIR_NO_BREAKS,
        pem_text::REPAIR_BARE_BASE64,
        pem_text::REPAIR_UTF16,
    ]
    .contains(&repair)
}

/// `'path'` quoted for a shell when it needs it.
pub(super) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A failure for an input that could not be read.
pub(super) fn unreadable(what: &str, origin: Option<&Origin>, err: &ReadError) -> Outcome {
    let from = origin.map(|o| format!(" ({o})")).unwrap_or_default();
    let fix = match err {
        ReadError::NotFound => format!(
            "Check the path{from}: give the {what} file with its full path, or put it in the bundle directory under its usual name."
        ),
        ReadError::IsDirectory => {
            format!("Give the {what} file itself, not the directory that holds it.")
        }
        // Only the key can come from standard input (`--key -`).
        ReadError::NotARegularFile if what == "private key" => format!(
            "Copy the {what} into a regular file and give that file, or pipe it on standard input with `--key -`."
        ),
        ReadError::NotARegularFile => {
            format!("Copy the {what} into a regular file and give that file.")
        }
        ReadError::TooLarge { .. } => {
            format!("Give the {what} file itself: a key or certificate is a few kilobytes.")
        }
        ReadError::PermissionDenied => format!(
            "Run sfjwt as the user that owns the {what} file, or let that user read it (as its owner: `chmod u+r FILE`)."
        ),
        ReadError::Unset(why) => {
            return Outcome::fail(
                why.clone(),
                format!(
                    "Set the variable to the {what} where sfjwt runs (a CI secret, or a line of --env-file), or remove the setting that names it from sfjwt.toml."
                ),
            );
        }
        ReadError::Other(_) => format!("Check the {what} file{from} and try again."),
    };
    Outcome::fail(format!("the {what}{from} could not be read: {err}"), fix)
        .with("read_error", err.to_string())
}

fn origin_evidence(outcome: Outcome, origin: Option<&Origin>) -> Outcome {
    match origin {
        Some(o) => file_evidence(outcome.with("origin", o.to_string()), o),
        None => outcome,
    }
}

/// Adds `file`, the path of the file a value was read from, when it came from one.
pub(super) fn file_evidence(outcome: Outcome, origin: &Origin) -> Outcome {
    match origin.file() {
        Some(path) => outcome.with("file", path.display().to_string()),
        None => outcome,
    }
}

/// The checks that need the private key, named when it is not given.
pub(super) const NOT_RUN_WITHOUT_KEY: &[&Check] = &[
    &KEY_STRENGTH,
    &KEY_FILE_PERMISSIONS,
    &CERT_MATCHES_KEY,
    &ASSERTION_CLAIMS,
    &ASSERTION_SIGNATURE,
];

fn key_parse(bundle: &Bundle, _ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let origin = bundle.key.origin.as_ref();
    Ok(match &bundle.key.state {
        Loaded::Missing(reason) => {
            absent::not_given(reason, absent::Input::Key, NOT_RUN_WITHOUT_KEY)
        }
        Loaded::NotInBundle(missing) => absent::not_in_bundle(missing, absent::Input::Key),
        Loaded::Unreadable(err) => origin_evidence(unreadable("private key", origin, err), origin),
        Loaded::Invalid(err) => origin_evidence(invalid(err, bundle), origin),
        Loaded::Ok(key) => origin_evidence(decoded(key, origin), origin),
    })
}

/// key.parse on a key that was read but is not a usable RSA key.
fn invalid(err: &KeyError, bundle: &Bundle) -> Outcome {
    let origin = bundle.key.origin.as_ref();
    let from = origin
        .map(|o| format!("; read from {o}"))
        .unwrap_or_default();
    // Why no passphrase was at hand, when the gatherer knows (a variable named in
    // sfjwt.toml that is not set).
    let hint = bundle
        .key
        .passphrase_hint
        .as_ref()
        .map(|h| format!("; {h}"))
        .unwrap_or_default();
    let mut outcome = Outcome::fail(format!("{}{from}{hint}", err.message()), err.fix())
        .with("error", err.code());
    if matches!(
        err,
        KeyError::Empty
            | KeyError::WhitespaceOnly
            | KeyError::NotPem
            | KeyError::Truncated
            | KeyError::BadBase64
    ) {
        // Damaged in copying: the value as entered where it is used (step 7).
        outcome = outcome.with_steps(&[1, 7]);
    }
    outcome
}

/// key.parse on a decoded key: its format, size and fingerprint, and what was repaired.
fn decoded(key: &PrivateKey, origin: Option<&Origin>) -> Outcome {
    let fingerprint = key.fingerprint();
    let from = match origin {
        Some(Origin::File(path)) => format!(" from {}", super::files::shown(path)),
        Some(other) => format!(" from {other}"),
        None => String::new(),
    };
    let mut message = format!(
        "reads as a {}-bit RSA private key ({}){from}, fingerprint {fingerprint}",
        key.bits,
        form(key),
    );
    if !key.repairs.is_empty() {
        message.push_str(&format!(
            "; repaired before reading: {}",
            key.repairs.join("; ")
        ));
    }
    if !key.notes.is_empty() {
        message.push_str(&format!("; {}", key.notes.join("; ")));
    }
    let worth_fixing = key.repairs.iter().any(|r| repair_worth_fixing(r));
    let weak_enc = key.openssl_enc.filter(|enc| enc.params.kdf.is_weak());
    let mut outcome = match (worth_fixing, weak_enc) {
        (false, None) => Outcome::pass(message),
        (true, _) => Outcome::warn(
            message,
            "Store the key exactly as the file is, line breaks included: paste `cat server.key` into a multi-line secret, or store `base64 -w0 server.key` and decode it where it is used. Many JWT libraries and OpenSSL do not repair what sfjwt repaired.",
        )
        .with_steps(&[1, 7]),
        (false, Some(enc)) => Outcome::warn(
            format!(
                "{message}; its key derivation is one {} hash of the passphrase (no -pbkdf2), so anyone who can read the file (in a repository: anyone with a clone) can try passphrases by the billion a second",
                enc.params.kdf.md().plain()
            ),
            reencrypt_fix(&enc, origin),
        )
        .with_steps(&[1]),
    };
    outcome = outcome
        .with("format", key.format.code())
        .with("bits", key.bits)
        .with("fingerprint", fingerprint)
        .with(
            "encrypted",
            key.format.is_encrypted() || key.openssl_enc.is_some(),
        );
    if let Some(enc) = key.openssl_enc {
        outcome = outcome
            .with("enc_cipher", enc.params.cipher.code())
            .with("enc_kdf", enc.params.kdf.code())
            .with("enc_md", enc.params.kdf.md().code())
            .with("enc_iter", enc.params.kdf.iterations())
            .with("enc_base64", enc.base64);
    }
    if !key.repairs.is_empty() {
        outcome = outcome.with(
            "repairs",
            Value::from(
                key.repairs
                    .iter()
                    .map(|r| Value::from(r.as_str()))
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if !key.notes.is_empty() {
        outcome = outcome.with(
            "notes",
            Value::from(
                key.notes
                    .iter()
                    .map(|r| Value::from(r.as_str()))
                    .collect::<Vec<_>>(),
            ),
        );
    }
    outcome
}

/// How the key was held: "PKCS#8 PEM", "encrypted PKCS#8 PEM, decrypted with the passphrase",
/// "openssl enc file, AES-256-CBC, PBKDF2-HMAC-SHA256 10000 iterations: PKCS#8 PEM inside".
fn form(key: &PrivateKey) -> String {
    let entry = key
        .keystore
        .as_ref()
        .map(|e| format!(", entry {}", e.alias))
        .unwrap_or_default();
    match key.openssl_enc {
        Some(enc) => format!(
            "{}: {} inside, decrypted with the passphrase",
            enc.describe(),
            key.format
        ),
        None if key.format.is_encrypted() => {
            format!("{}{entry}, decrypted with the passphrase", key.format)
        }
        None => format!("{}{entry}", key.format),
    }
}

/// The fix for an `openssl enc` file made without `-pbkdf2`: re-encrypt it through a pipe (the
/// plaintext never on disk; each passphrase from a variable, so the two prompts do not race),
/// and change the pipeline's decrypt line to match.
fn reencrypt_fix(enc: &OpensslEnc, origin: Option<&Origin>) -> String {
    let file = match origin {
        Some(Origin::File(path)) => shell_quote(&path.display().to_string()),
        _ => "server.key.enc".to_string(),
    };
    let a = if enc.base64 { " -a" } else { "" };
    let new = match origin {
        Some(Origin::File(path)) => shell_quote(&format!("{}.new", path.display())),
        _ => "server.key.enc.new".to_string(),
    };
    format!(
        "Re-encrypt the file with PBKDF2 (OpenSSL itself warns \"deprecated key derivation used\" when it reads it): `openssl enc -d {}{a} -in {file} -pass env:OLD_PASS | openssl enc -aes-256-cbc -pbkdf2 -salt{a} -out {new} -pass env:NEW_PASS` (a long random new passphrase), replace {file} with {new}, and change the pipeline's decrypt line to `{}`. Salesforce never sees this file: the login works either way.",
        enc.params.options(),
        salted::decrypt_command("-aes-256-cbc -pbkdf2", enc.base64, &file, "server.key.new"),
    )
}

fn key_strength(bundle: &Bundle, _ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let key = require::key(bundle)?;
    let bits = key.bits;
    let outcome = if bits < 2048 {
        Outcome::fail(
            format!(
                "the RSA key has {bits} bits, fewer than the 2048 that Salesforce's recipes and current security policies require"
            ),
            format!(
                "Make a 2048-bit key: `{CMD_GENKEY}`, then a certificate for it: `{CMD_CSR}` and `{CMD_CERT}`; {UPLOAD_CERT}, and sign with the new server.key from then on."
            ),
        )
    } else if bits > 4096 {
        Outcome::info(format!(
            "the RSA key has {bits} bits: more than the 2048 to 4096 bits Salesforce's own tools make; the largest size Salesforce accepts is not documented, and signing is slower"
        ))
    } else {
        Outcome::pass(format!("the RSA key has {bits} bits (2048 or more)"))
    };
    Ok(outcome.with("bits", bits))
}

fn key_file_permissions(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let path = match (&bundle.key.origin, &bundle.key.state) {
        (_, Loaded::Missing(_) | Loaded::NotInBundle(_)) => return Err(require::absent_key()),
        (Some(Origin::File(path)), _) => path,
        (Some(other), _) => {
            return Err(Skip::new(format!(
                "the key did not come from a file (it came from {other})"
            )));
        }
        (None, _) => return Err(Skip::new("the key did not come from a file")),
    };
    permissions_of(path)
}

#[cfg(unix)]
fn permissions_of(path: &std::path::Path) -> Result<Outcome, Skip> {
    use std::os::unix::fs::PermissionsExt;

    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Err(Skip::new(format!(
                "the key file {shown} could not be inspected ({e}); see {}",
                KEY_PARSE.id
            )));
        }
    };
    let mode = meta.permissions().mode() & 0o777;
    let mode_text = format!("{mode:04o}");
    let mut who = Vec::new();
    for (shift, name) in [(3u32, "group"), (0u32, "others")] {
        let bits = (mode >> shift) & 0o7;
        let mut can = Vec::new();
        if bits & 0o4 != 0 {
            can.push("read");
        }
        if bits & 0o2 != 0 {
            can.push("write");
        }
        if bits & 0o1 != 0 {
            can.push("execute");
        }
        if !can.is_empty() {
            who.push(format!("{name} can {}", can.join(" and ")));
        }
    }
    let outcome = if who.is_empty() {
        Outcome::pass(format!(
            "the key file {shown} is accessible to its owner only (mode {mode_text})"
        ))
    } else {
        Outcome::warn(
            format!(
                "the key file {shown} has mode {mode_text}: {}; whoever reads it can log in to Salesforce as the integration user",
                who.join(", ")
            ),
            format!(
                "Restrict it to its owner: `chmod 600 {}`. If others could read it on a shared machine, consider the key exposed: make a new key and certificate and upload the certificate.",
                super::files::shown(path)
            ),
        )
    };
    Ok(outcome.with("path", shown).with("mode", mode_text))
}

#[cfg(not(unix))]
fn permissions_of(_path: &std::path::Path) -> Result<Outcome, Skip> {
    Err(Skip::new(
        "file permissions are checked on Unix systems only",
    ))
}

#[cfg(test)]
mod tests;
