//! A key kept as an `openssl enc` file (`bundle::salted`): decrypted with the passphrase by
//! trying the parameters sfjwt knows, and the plaintext decoded as any key.

use super::*;
use crate::bundle::salted::{self, Damage, Params, SaltedFile};

/// The `openssl enc` file a key was decrypted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpensslEnc {
    pub params: Params,
    /// The file was base64 (`openssl enc -a`).
    pub base64: bool,
}

impl OpensslEnc {
    /// "openssl enc file, AES-256-CBC, PBKDF2-HMAC-SHA256 10000 iterations" (", base64" for `-a`).
    pub fn describe(&self) -> String {
        format!(
            "openssl enc file{}, {}",
            if self.base64 { " in base64" } else { "" },
            self.params.describe()
        )
    }

    /// The command that decrypts the file by hand.
    pub fn decrypt_command(&self, input: &str, output: &str) -> String {
        salted::decrypt_command(&self.params.options(), self.base64, input, output)
    }
}

pub(super) fn decode(
    file: Result<SaltedFile, Damage>,
    passphrase: Option<&[u8]>,
) -> Result<PrivateKey, KeyError> {
    let file = file.map_err(|damage| match damage {
        Damage::Truncated => KeyError::Truncated,
        Damage::BadBase64 => KeyError::BadBase64,
    })?;
    let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase { openssl_enc: true })?;
    let not_decrypted = KeyError::OpensslEncNotDecrypted {
        base64: file.base64,
    };
    let (mut key, repair) = match attempt(&file, passphrase) {
        Some(found) => (found?, None),
        None => {
            // As for the other encrypted forms: a passphrase read from a file often ends with
            // a line break that was not part of it.
            let trimmed = passphrase
                .strip_suffix(b"\n")
                .map(|p| p.strip_suffix(b"\r").unwrap_or(p))
                .ok_or(not_decrypted.clone())?;
            let found = attempt(&file, trimmed).ok_or(not_decrypted)??;
            let repair = "a line break at the end of the passphrase was ignored";
            (found, Some(repair.to_string()))
        }
    };
    key.repairs.extend(repair);
    Ok(key)
}

/// The key, or why the plaintext is not a usable one; `None` when no combination decrypts to
/// something that reads as a key. A PEM plaintext ends the search whatever it holds (garbage
/// does not start with `-----BEGIN`); a DER-looking one that does not decode may be garbage
/// with valid padding, and the search goes on.
fn attempt(file: &SaltedFile, passphrase: &[u8]) -> Option<Result<PrivateKey, KeyError>> {
    let (params, result) = salted::decrypt(file, passphrase, |params, plain| {
        match decode_private_key(plain, None) {
            Ok(key) => Some(Ok(key)),
            Err(KeyError::NeedsPassphrase { .. }) => {
                Some(Err(KeyError::OpensslEncEncryptedInside {
                    params: params.describe(),
                }))
            }
            Err(_) if plain.first() == Some(&der::SEQUENCE) => None,
            Err(e) => Some(Err(e)),
        }
    })?;
    Some(result.map(|mut key| {
        key.openssl_enc = Some(OpensslEnc {
            params,
            base64: file.base64,
        });
        key
    }))
}

/// [`KeyError::OpensslEncNotDecrypted`]'s message: what was tried.
pub(super) fn not_decrypted_message() -> String {
    format!(
        "the private key is an openssl enc file (Salted__) that the passphrase given does not decrypt to a key: a wrong passphrase, or parameters sfjwt does not try (it tries {})",
        salted::tried()
    )
}

/// [`KeyError::OpensslEncNotDecrypted`]'s fix, in the guide's names (`server.key` is the file
/// given; the check puts the real names in).
pub(super) fn not_decrypted_fix(base64: bool) -> String {
    let by_hand = salted::decrypt_command(
        "-aes-256-cbc -pbkdf2",
        base64,
        "server.key",
        "server.key.new",
    );
    format!(
        "Check the passphrase, then decrypt the file by hand with the options it was made with (the pipeline's own `openssl enc -d` line has them), e.g. `{by_hand}` (asks for the passphrase), and check the result with `openssl pkey -in server.key.new -noout`. If it was made with parameters sfjwt does not try, re-encrypt it with sfjwt's advice, `{}`, or give sfjwt the decrypted file.",
        salted::encrypt_command("server.key.new", "server.key")
    )
}

pub(super) fn encrypted_inside_fix() -> String {
    format!(
        "Keep one layer of encryption: decrypt the inner key once (`openssl pkey -in inner.key -out server.key`, asks for its passphrase), then encrypt that file alone: `{}`.",
        salted::encrypt_command("server.key", "server.key.enc")
    )
}
