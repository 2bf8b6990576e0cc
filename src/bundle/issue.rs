//! Step 1 without OpenSSL: a new RSA key, a self-signed certificate and a certificate signing
//! request built from it, as DER. Pure building (key + subject + validity -> bytes); writing
//! files is the commands' (`sfjwt new`, `sfjwt renew`).
//!
//! The certificate is what `openssl req -x509` (OpenSSL 3.0) writes for a key: X.509 v3, a
//! positive random serial, SHA-256 with RSA, issuer = subject, and the extensions
//! subjectKeyIdentifier (SHA-1 of the public key), authorityKeyIdentifier (the same key id) and
//! basicConstraints CA:TRUE (critical). Times before 2050 are UTCTime, later ones
//! GeneralizedTime (RFC 5280 4.1.2.5).

mod subject;

use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::pkcs8::EncodePrivateKey;
use sha2::Sha256;
use time::OffsetDateTime;
use x509_cert::builder::{Builder, CertificateBuilder, RequestBuilder};
use x509_cert::der::pem::LineEnding;
use x509_cert::der::{Decode, Encode};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

pub use subject::{parse_subject, subject_of_cn};

/// The key sizes `sfjwt new` makes: Salesforce needs at least 2048 bits.
pub const KEY_BITS: &[usize] = &[2048, 3072, 4096];

/// A new RSA private key of `bits` bits (public exponent 65537), from the operating system's
/// random number generator.
pub fn generate_key(bits: usize) -> Result<rsa::PrivateKey, String> {
    if !KEY_BITS.contains(&bits) {
        return Err(format!(
            "{bits}-bit keys are not made: choose 2048, 3072 or 4096 (Salesforce needs at least 2048)"
        ));
    }
    let mut rng = getrandom::SysRng;
    rsa::PrivateKey::new(&mut rng, bits).map_err(|e| format!("cannot make an RSA key: {e}"))
}

/// The key as PKCS#8 PEM (`BEGIN PRIVATE KEY`), unencrypted, as `server.key` holds it.
pub fn key_pem(key: &rsa::PrivateKey) -> Result<zeroize::Zeroizing<String>, String> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the key as PKCS#8: {e}"))
}

/// When a certificate is valid: from `not_before` (whole seconds) for `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Period {
    /// `days` days (1 to 36,500) from `start`, cut to whole seconds (X.509 times have no
    /// fractions).
    pub fn days_from(start: OffsetDateTime, days: u32) -> Result<Period, String> {
        if days == 0 || days > 36_500 {
            return Err(format!(
                "--days {days}: a certificate must be valid for 1 to 36500 days (default 365)"
            ));
        }
        let not_before = start
            .replace_nanosecond(0)
            .map_err(|e| format!("the start time: {e}"))?;
        Ok(Period {
            not_before,
            not_after: not_before + time::Duration::days(i64::from(days)),
        })
    }

    fn validity(self) -> Result<Validity, String> {
        let time = |t: OffsetDateTime| {
            Time::try_from(std::time::SystemTime::from(t))
                .map_err(|e| format!("{t} cannot be a certificate time: {e}"))
        };
        Ok(Validity::new(time(self.not_before)?, time(self.not_after)?))
    }
}

/// The extensions `openssl req -x509` gives a self-signed certificate.
struct SelfSigned {
    subject: Name,
}

impl x509_cert::builder::profile::BuilderProfile for SelfSigned {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let mut extensions = Vec::new();
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(ski.0.clone()),
            ..Default::default()
        };
        extensions.push(ski.to_extension(tbs.subject(), &extensions)?);
        extensions.push(aki.to_extension(tbs.subject(), &extensions)?);
        let basic = BasicConstraints {
            ca: true,
            path_len_constraint: None,
        };
        extensions.push(basic.to_extension(tbs.subject(), &extensions)?);
        Ok(extensions)
    }
}

fn signer(key: &rsa::PrivateKey) -> SigningKey<Sha256> {
    SigningKey::<Sha256>::new(key.clone())
}

/// A self-signed certificate of `key` for `subject`, valid for `period`, with a fresh random
/// serial: its DER.
pub fn self_signed(
    key: &rsa::PrivateKey,
    subject: &Name,
    period: Period,
) -> Result<Vec<u8>, String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot build the certificate: {e}");
    let spki = SubjectPublicKeyInfoOwned::from_key(&key.to_public_key()).map_err(|e| cannot(&e))?;
    let profile = SelfSigned {
        subject: subject.clone(),
    };
    let serial = SerialNumber::generate(&mut rsa::rand_core::UnwrapErr(getrandom::SysRng));
    let builder = CertificateBuilder::new(profile, serial, period.validity()?, spki)
        .map_err(|e| cannot(&e))?;
    let cert = builder
        .build::<_, Signature>(&signer(key))
        .map_err(|e| cannot(&e))?;
    cert.to_der().map_err(|e| cannot(&e))
}

/// A PKCS#10 certificate signing request of `key` for `subject` (what a CA signs): its DER.
pub fn signing_request(key: &rsa::PrivateKey, subject: &Name) -> Result<Vec<u8>, String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot build the signing request: {e}");
    let builder = RequestBuilder::new(subject.clone()).map_err(|e| cannot(&e))?;
    let csr = builder
        .build::<_, Signature>(&signer(key))
        .map_err(|e| cannot(&e))?;
    csr.to_der().map_err(|e| cannot(&e))
}

/// The subject of a certificate (DER), exactly as it is encoded there: a renewed certificate
/// keeps it byte for byte.
pub fn subject_of(cert_der: &[u8]) -> Result<Name, String> {
    x509_cert::Certificate::from_der(cert_der)
        .map(|c| c.tbs_certificate().subject().clone())
        .map_err(|e| format!("cannot read the certificate's subject: {e}"))
}

/// DER as PEM with `label` (`CERTIFICATE`, `CERTIFICATE REQUEST`).
pub fn pem(label: &'static str, der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new(label, der.to_vec()),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

#[cfg(test)]
mod tests;
