//! The commands: each takes plain settings (no clap types) and returns an exit status. The
//! command line ([`crate::cli`]) builds the settings and decides the colour once.

pub mod check;
pub mod convert;
pub mod decode;
pub mod explain;
pub mod fleet;
pub mod mint;
pub mod new;
pub mod outputs;
pub mod renew;

/// The output formats of `decode` and `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Whether text output is coloured, decided once from `--color`, `NO_COLOR` and `TERM`; what
/// is left open is whether the destination is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Always,
    Never,
    /// Only on a terminal.
    OnTerminal,
}

impl Colour {
    /// Whether to colour output going to a destination that is (or is not) a terminal.
    pub fn on(self, to_terminal: bool) -> bool {
        match self {
            Colour::Always => true,
            Colour::Never => false,
            Colour::OnTerminal => to_terminal,
        }
    }

    /// Sets the `colored` crate's switch for text going to standard output.
    pub fn apply_to_stdout(self) {
        use std::io::IsTerminal;
        colored::control::set_override(self.on(std::io::stdout().is_terminal()));
    }
}

/// Asks for a passphrase on the terminal, when there is one to ask on; `None` when there is
/// none, or nothing was typed.
pub(crate) fn terminal_prompt(what: &str) -> Option<String> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    crate::prompt::passphrase(what)
        .ok()
        .filter(|p| !p.is_empty())
}

/// Decodes a key with the passphrase given; when it needs one, none was given and prompting is
/// allowed, asks on the terminal (`Passphrase for ORIGIN: `) and tries once more. Returns the key
/// and the passphrase typed, if one was (a keystore may take it as its password too).
pub(crate) fn decode_key_or_prompt(
    bytes: &[u8],
    given: Option<&[u8]>,
    entry: crate::bundle::key::Entry<'_>,
    prompt: bool,
    origin: &str,
) -> Result<
    (
        crate::bundle::key::PrivateKey,
        Option<crate::bundle::Secret>,
    ),
    crate::bundle::key::KeyError,
> {
    use crate::bundle::key::decode_private_key_with;
    use crate::bundle::{Origin, Secret};
    match decode_private_key_with(bytes, given, entry) {
        Err(e) if e.needs_passphrase() && given.is_none() && prompt => {
            match terminal_prompt(&format!("Passphrase for {origin}: ")) {
                Some(typed) => {
                    let typed = Secret::new(typed, Origin::Prompt);
                    decode_private_key_with(bytes, Some(typed.expose().as_bytes()), entry)
                        .map(|k| (k, Some(typed)))
                }
                None => Err(e),
            }
        }
        other => other.map(|k| (k, None)),
    }
}
