//! The CBC ciphers of the encrypted key forms sfjwt decrypts itself (PBES1, PKCS#12 PBE, legacy
//! `Proc-Type: 4,ENCRYPTED` PEM), with PKCS#7 padding, on a buffer wiped when dropped.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use zeroize::Zeroizing;

/// A block cipher in CBC mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cbc {
    Des,
    /// Two-key triple DES (K1, K2, K1).
    DesEde2,
    DesEde3,
    Aes128,
    Aes192,
    Aes256,
}

impl Cbc {
    pub(crate) fn key_bytes(self) -> usize {
        match self {
            Cbc::Des => 8,
            Cbc::DesEde2 | Cbc::Aes128 => 16,
            Cbc::DesEde3 | Cbc::Aes192 => 24,
            Cbc::Aes256 => 32,
        }
    }

    pub(crate) fn iv_bytes(self) -> usize {
        match self {
            Cbc::Des | Cbc::DesEde2 | Cbc::DesEde3 => 8,
            Cbc::Aes128 | Cbc::Aes192 | Cbc::Aes256 => 16,
        }
    }

    /// The plaintext, or `None` when the key or IV has the wrong length, the ciphertext is not
    /// whole blocks, or the padding is wrong (what a wrong passphrase gives, 255 times in 256).
    pub(crate) fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut buf = Zeroizing::new(data.to_vec());
        let len = match self {
            Cbc::Des => run::<des::Des>(key, iv, &mut buf),
            Cbc::DesEde2 => run::<des::TdesEde2>(key, iv, &mut buf),
            Cbc::DesEde3 => run::<des::TdesEde3>(key, iv, &mut buf),
            Cbc::Aes128 => run::<aes::Aes128>(key, iv, &mut buf),
            Cbc::Aes192 => run::<aes::Aes192>(key, iv, &mut buf),
            Cbc::Aes256 => run::<aes::Aes256>(key, iv, &mut buf),
        }?;
        buf.truncate(len);
        Some(buf)
    }
}

/// Decrypts `buf` in place; the length of the unpadded plaintext at its start.
fn run<C: BlockCipherDecrypt + KeyInit>(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Option<usize> {
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor.decrypt_padded::<Pkcs7>(buf).ok().map(<[u8]>::len)
}
