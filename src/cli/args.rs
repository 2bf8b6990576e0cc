//! Command-line definitions (clap derive). Parsing only: [`super::run`] turns these into a
//! command's settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;

use crate::bundle::inputs;

#[derive(Debug, Parser)]
#[command(
    name = "sfjwt",
    version,
    about = "A doctor for Salesforce JWT Bearer credentials",
    long_about = "sfjwt checks the inputs of Salesforce's OAuth 2.0 JWT Bearer flow (private key, \
                  certificate, consumer key and secret, username, login URL) and says, per setup \
                  step, what is wrong and how to fix it.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size difference between the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check one or more credential bundles, offline.
    #[command(
        after_help = "Inputs come from flags, then the environment (the SFJWT_* variables shown beside \
                      each flag above; `sfjwt man check` lists them all, the secrets' too), then each \
                      bundle directory's sfjwt.toml, server.key and server.crt. Bundles are checked in \
                      parallel and reported as they finish.\n\n\
                      Before a release: --at <release date> (or --at +90d) --fail-on warning. Reports \
                      for CI: --format github, --output sarif=report.sarif, --output junit=report.xml, \
                      --output markdown=report.md.\n\n\
                      Exit codes: 0 no check failed (and none warned, with --fail-on warning); \
                      1 at least one did; 2 the run itself could not happen."
    )]
    Check(CheckArgs),
    /// Print a signed assertion (a JWT) for a tool that needs one pre-made: AWS AppFlow or
    /// Glue, Postman, curl.
    #[command(
        long_about = "Sign one JWT bearer assertion from the inputs check takes (a bundle directory, \
                      or flags and SFJWT_* variables) and print it on standard output, alone on one \
                      line, for a tool that needs one pre-made. The assertion is a credential until \
                      its exp: anyone holding it can log in as the user. The warning that says until \
                      when, and the curl command that would post it, go to standard error.",
        after_help = "Examples:\n  \
                      ASSERTION=$(sfjwt mint fixtures/valid)\n  \
                      ASSERTION=$(sfjwt mint --key server.key --consumer-key 3MVG9... --username me@acme.com \
                      --login-url https://acme.my.salesforce.com --lifetime 10m)\n\n\
                      --lifetime takes 90s, 3m, 1h, 2d or bare seconds (default 3m, what Salesforce \
                      documents; at most 7d). The assertion is never written to a file. A certificate \
                      given (--cert, server.crt) must carry the key's public key: Salesforce would \
                      reject an assertion that does not verify with it.\n\n\
                      The assertion's iss, sub and aud are linted as sfjwt decode lints them: a \
                      warning goes to standard error; a value Salesforce would refuse (a consumer \
                      secret as the consumer key, a URL-encoded username) prints nothing.\n\n\
                      Exit codes: 0 the assertion was printed; 2 nothing was printed: an input is \
                      missing or does not read, the certificate is not the key's, a claim \
                      Salesforce would refuse, more than one bundle, bad flags."
    )]
    Mint(MintArgs),
    /// Decode a JWT bearer assertion, lint it against Salesforce's rules, and verify its signature.
    #[command(
        after_help = "The token comes from the argument, or from standard input when the argument is `-` \
                      or missing (pipe it in: an argument lands in shell history, and a token is a \
                      credential until its exp). Whitespace, a trailing newline, a `Bearer ` prefix, \
                      quotes and a form body's assertion=... are tolerated. The token itself and its \
                      signature are never printed.\n\n\
                      Exit codes: 0 no rule failed; 1 a rule or the signature failed; 2 the input is \
                      not a JWT, or the flags are wrong."
    )]
    Decode(DecodeArgs),
    /// Explain a Salesforce token-endpoint error (its causes, setup steps and fix), or a check.
    #[command(
        long_about = "Explain what went wrong: paste the error a JWT login gave you (the JSON body, \
                      a log line, the Salesforce CLI's or a library's message, several errors at \
                      once), or give a check id or an error id to read its documentation.",
        after_help = "Examples:\n  \
                      sfjwt explain \"invalid_grant: user hasn't approved this consumer\"\n  \
                      sf org login jwt ... 2>&1 | sfjwt explain -\n  \
                      sfjwt explain cert.matches-key\n  \
                      sfjwt explain --list --format json\n\n\
                      Standard input is read up to 1 MiB.\n\n\
                      Exit codes: 0 the text was recognised (or the id explained, or --list); \
                      1 the text was read but holds no known error (an empty \"matches\" list in \
                      JSON); 2 nothing could be explained: no input, unreadable input, bad flags."
    )]
    Explain(ExplainArgs),
    /// Write the private key in the form another tool wants (PKCS#8, PKCS#1, DER, PKCS#12, JKS,
    /// base64, escaped), to a new file.
    #[command(
        long_about = "Write the private key (and, for a PKCS#12 or JKS keystore, its certificate) in \
                      the form another tool wants, to a new file: never over an existing file, never \
                      to standard output, whole or not at all, at mode 0600. The file is then read \
                      back and must hold the same key (and certificate).",
        after_help = "Forms: pkcs8 (PEM, BEGIN PRIVATE KEY), pkcs1 (PEM, BEGIN RSA PRIVATE KEY), der \
                      (PKCS#8 DER), pkcs12 (.p12: PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 \
                      MAC, as OpenSSL 3 writes), jks (Java KeyStore), base64 (base64 -w0 of the \
                      PKCS#8 PEM file), escaped (the PKCS#8 PEM on one line, a literal \\n at each \
                      line break, for an environment variable or a JSON string). The PEM and DER \
                      forms are unencrypted.\n\n\
                      The key's passphrase, and a keystore's password, come from \
                      $SFJWT_KEY_PASSPHRASE or --key-passphrase-file, else from a prompt on a \
                      terminal; a keystore takes the key's passphrase as its password when the key \
                      had one.\n\n\
                      Examples:\n  \
                      sfjwt convert --key server.key --to escaped --out server.key.escaped\n  \
                      SFJWT_KEY_PASSPHRASE=... sfjwt convert --key server.key --cert server.crt --to jks --out server.jks\n\n\
                      Exit codes: 0 written and read back; 1 the key cannot be used (not an RSA \
                      private key, a wrong or missing passphrase: what check reports as key.parse); \
                      2 nothing was written: bad flags, --out exists or is an input, an input \
                      cannot be read, the certificate is not the key's, a keystore without a \
                      certificate or a password."
    )]
    Convert(ConvertArgs),
    /// Step 1 without OpenSSL: a new RSA key (server.key), its self-signed certificate
    /// (server.crt), optionally a signing request for a CA (server.csr), and sfjwt.toml.
    #[command(after_help = "Examples:\n  \
                      sfjwt new ./acme --consumer-key 3MVG9... --username integration@acme.com\n  \
                      sfjwt new ./acme --bits 4096 --days 730 --subject 'CN=acme-jwt,O=Acme,C=US' --csr")]
    New(NewArgs),
    /// A new certificate from the same key (same subject, new validity), beside the old one:
    /// clients keep working while the app's certificate is replaced.
    #[command(after_help = "Examples:\n  \
                      sfjwt renew ./acme\n  \
                      sfjwt renew --key server.key --cert server.crt --days 730 --out next.crt")]
    Renew(RenewArgs),
    /// Print a shell completion script for sfjwt.
    #[command(after_help = "Examples:\n  \
                      sfjwt completions bash > ~/.local/share/bash-completion/completions/sfjwt\n  \
                      sfjwt completions zsh > \"${fpath[1]}/_sfjwt\"\n  \
                      sfjwt completions fish > ~/.config/fish/completions/sfjwt.fish")]
    Completions(CompletionsArgs),
    /// Print sfjwt's man page (roff), or one subcommand's.
    #[command(after_help = "Examples:\n  \
                      sfjwt man | man -l -\n  \
                      sfjwt man check > /usr/local/share/man/man1/sfjwt-check.1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The private key: any form check reads (PEM or DER, PKCS#1 or PKCS#8, encrypted, the
    /// base64 of a PEM file); `-` reads standard input.
    #[arg(long, value_name = "PATH|-")]
    pub key: PathBuf,

    /// The key's certificate (server.crt), PEM or DER: needed for pkcs12 and jks, and checked
    /// to carry the key's public key.
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The form to write.
    #[arg(long, value_enum, value_name = "FORM")]
    pub to: ConvertTarget,

    /// The new file to write (it must not exist; standard output is never written to).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,

    /// The keystore entry: the one to read when --key is a keystore holding several private
    /// keys, and the alias of the entry written (pkcs12, jks; default: the entry read, else
    /// sfjwt).
    #[arg(long, value_name = "NAME")]
    pub key_alias: Option<String>,

    /// A file holding the key's passphrase, and a keystore's password (secrets are never taken
    /// as flag values).
    #[arg(long, value_name = "PATH")]
    pub key_passphrase_file: Option<PathBuf>,

    /// A file holding the keystore entry key's own password, where it is not the store's
    /// (`keytool -keypass` on a JKS); also $SFJWT_KEY_PASSWORD.
    #[arg(long, value_name = "PATH")]
    pub key_password_file: Option<PathBuf>,

    /// Never prompt for a passphrase or password, even on a terminal.
    #[arg(long)]
    pub no_prompt: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The directory to make the files in (created if it does not exist; none of the files
    /// may exist in it).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The RSA key size in bits.
    #[arg(long, value_name = "BITS", default_value_t = 2048)]
    pub bits: usize,

    /// How many days the certificate is valid for.
    #[arg(long, value_name = "N", default_value_t = 365)]
    pub days: u32,

    /// The certificate's subject: CN=name,O=company,C=US (or OpenSSL's /CN=name/O=company);
    /// default CN= the username, else the directory's name.
    #[arg(long, value_name = "DN")]
    pub subject: Option<String>,

    /// Also write server.csr, a PKCS#10 signing request to send to a certification authority.
    #[arg(long)]
    pub csr: bool,

    /// The External Client App's consumer key, written to sfjwt.toml.
    #[arg(long, value_name = "K")]
    pub consumer_key: Option<String>,

    /// The Salesforce username the tokens act for, written to sfjwt.toml.
    #[arg(long, value_name = "U")]
    pub username: Option<String>,

    /// The login URL (https://login.salesforce.com, https://test.salesforce.com or the org's My
    /// Domain), written to sfjwt.toml.
    #[arg(long, value_name = "URL")]
    pub login_url: Option<String>,

    /// The certificate is valid from this instant instead of now (RFC 3339, or a date meaning
    /// midnight UTC): for reproducible tests.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub at: Option<OffsetDateTime>,
}

#[derive(Debug, Args)]
pub struct RenewArgs {
    /// A bundle directory: its server.key and server.crt, or the files its sfjwt.toml names.
    #[arg(value_name = "DIR", conflicts_with_all = ["key", "cert"])]
    pub dir: Option<PathBuf>,

    /// The private key (any form check reads; it may be encrypted).
    #[arg(long, value_name = "PATH", requires = "cert")]
    pub key: Option<PathBuf>,

    /// The certificate to renew (PEM or DER): it must be the key's.
    #[arg(long, value_name = "PATH", requires = "key")]
    pub cert: Option<PathBuf>,

    /// How many days the new certificate is valid for.
    #[arg(long, value_name = "N", default_value_t = 365)]
    pub days: u32,

    /// The new certificate's path (it must not exist); default server.renewed-YYYY-MM-DD.crt
    /// beside the old one.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,

    /// A file holding the key's passphrase (secrets are never taken as flag values); else
    /// $SFJWT_KEY_PASSPHRASE, else a prompt on a terminal.
    #[arg(long, value_name = "PATH")]
    pub key_passphrase_file: Option<PathBuf>,

    /// Never prompt for a passphrase, even on a terminal.
    #[arg(long)]
    pub no_prompt: bool,

    /// The new certificate is valid from this instant instead of now (RFC 3339, or a date
    /// meaning midnight UTC): for reproducible tests.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub at: Option<OffsetDateTime>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand (check, explain, ...) to print the page of; without it, the page of sfjwt.
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token (eyJ...); `-` or nothing reads it from standard input.
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,

    /// The certificate uploaded to the app (server.crt), to verify the signature with.
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The consumer key the token's iss must equal.
    #[arg(long, value_name = "KEY")]
    pub consumer_key: Option<String>,

    /// The username the token's sub must equal.
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,

    /// The login URL the token is posted to; its aud must fit it.
    #[arg(long, value_name = "URL")]
    pub login_url: Option<String>,

    /// Declare the login URL's host your org's custom domain (`login` or `site`), as for check.
    #[arg(long, value_name = "KIND", value_parser = custom_domain_parser())]
    pub custom_domain: Option<String>,

    /// Judge exp, iat and nbf as of this instant instead of now (RFC 3339, or a date): for a
    /// token from a log, the time it was sent.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub at: Option<OffsetDateTime>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// When to colour the text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The error text (several words are joined with spaces), `-` to read standard input, or a
    /// check id (cert.matches-key) or error id (user-not-approved). Without it, standard input
    /// is read when it is not a terminal.
    #[arg(value_name = "TEXT|-|CHECK_ID", conflicts_with = "list")]
    pub input: Vec<String>,

    /// List every known error and every check, with their ids.
    #[arg(long)]
    pub list: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// When to colour the text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

// The inputs of a bundle, as `check` takes them and `mint` signs one assertion from. A plain
// comment: a doc comment on a flattened struct would become the command's about text.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Bundle directories holding server.key, server.crt and sfjwt.toml, each reported on its
    /// own; or directories of bundles (no bundle files of their own, bundles one level below),
    /// whose bundles are checked in name order.
    #[arg(value_name = "BUNDLE_DIR")]
    pub bundles: Vec<PathBuf>,

    /// The private key: PEM or DER, PKCS#1 or PKCS#8, encrypted PKCS#8, or the base64 of a PEM
    /// file; `-` reads standard input.
    #[arg(long, value_name = "PATH|-")]
    pub key: Option<PathBuf>,

    /// The certificate uploaded to the app (server.crt): PEM or DER.
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The app's consumer key (the JWT's `iss`).
    #[arg(
        long,
        value_name = "KEY",
        env = inputs::CONSUMER_KEY.env.unwrap(),
        hide_env_values = true
    )]
    pub consumer_key: Option<String>,

    /// The Salesforce username the JWT acts for (its `sub`).
    #[arg(
        long,
        value_name = "USER",
        env = inputs::USERNAME.env.unwrap(),
        hide_env_values = true
    )]
    pub username: Option<String>,

    /// The authorization server URL, e.g. https://login.salesforce.com (a bare host is accepted too).
    #[arg(
        long,
        value_name = "URL",
        env = inputs::LOGIN_URL.env.unwrap(),
        hide_env_values = true
    )]
    pub login_url: Option<String>,

    /// Declare the login URL's host your org's custom domain, which sfjwt cannot recognise:
    /// `login` for a custom domain serving Salesforce login (a CNAME such as login.acme.com),
    /// `site` for an Experience Cloud site on your own domain (https://acme.com/customers). The
    /// URL's origin (with the site path, for a site) is then the aud, and --live may send to it
    /// over HTTPS.
    #[arg(
        long,
        value_name = "KIND",
        env = inputs::CUSTOM_DOMAIN.env.unwrap(),
        value_parser = custom_domain_parser()
    )]
    pub custom_domain: Option<String>,

    /// Override the `aud` derived from the login URL.
    #[arg(
        long,
        value_name = "URL",
        env = inputs::AUDIENCE.env.unwrap(),
        hide_env_values = true
    )]
    pub audience: Option<String>,

    /// A file holding the consumer secret (secrets are never taken as flag values).
    #[arg(long, value_name = "PATH")]
    pub consumer_secret_file: Option<PathBuf>,

    /// A file holding the passphrase of an encrypted private key (and a keystore's password).
    #[arg(long, value_name = "PATH")]
    pub key_passphrase_file: Option<PathBuf>,

    /// A file holding a keystore entry key's own password, where it is not the store's (a JKS
    /// made with keytool -keypass).
    #[arg(long, value_name = "PATH")]
    pub key_password_file: Option<PathBuf>,

    /// Read SFJWT_* settings, and the variables that sfjwt.toml's *_env settings name, from a
    /// dotenv file (KEY=VALUE lines; comments, `export`, quotes, multi-line quoted values). For
    /// sfjwt only: the environment is not changed, and a variable set in it wins over the file.
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,

    /// The entry to use when --key is a keystore (PKCS#12 or JKS) holding more than one private
    /// key; its password is the passphrase.
    #[arg(long, value_name = "NAME", env = inputs::KEY_ALIAS.env.unwrap())]
    pub key_alias: Option<String>,

    /// Never prompt for a passphrase, even on a terminal.
    #[arg(long)]
    pub no_prompt: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Evaluate as of this instant instead of now (RFC 3339, a date meaning midnight UTC, or a
    /// time from now: +90d, -90d, +12h, +2w): "will this still pass on release day, or in a
    /// quarter?" (certificate expiry is judged at this instant).
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub at: Option<OffsetDateTime>,

    /// Warn when the certificate expires within N days of --at.
    #[arg(long, value_name = "N", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub expiry_warn_days: u32,

    /// Fail when the certificate is expired or expires within N days of --at (default: an
    /// expired certificate only warns, since Salesforce still accepts it for JWT logins).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub expiry_fail_days: Option<u32>,

    /// Judge a candidate certificate (PEM or DER) for rotation against the current one and the
    /// key (check cert.rotation): the same key is a zero-downtime rotation, a new key is not.
    #[arg(long, value_name = "PATH")]
    pub next_cert: Option<PathBuf>,

    /// The External Client App or Connected App as its metadata was retrieved (sf project
    /// retrieve start): a project directory (walked down), a metadata-format retrieve (with
    /// package.xml) or one file; runs the app.* checks. Overrides app_metadata in sfjwt.toml.
    #[arg(long, value_name = "PATH", env = inputs::APP_METADATA.env.unwrap())]
    pub app_metadata: Option<PathBuf>,

    /// The app of --app-metadata to judge, when it holds several and the bundle's consumer key
    /// does not tell which (the name of its .eca or .connectedApp file).
    #[arg(long, value_name = "NAME", env = inputs::APP.env.unwrap())]
    pub app: Option<String>,

    /// Report this check's (or, for a prefix such as `key` or `app`, these checks') warnings and
    /// failures as info, marked as allowed (repeatable): e.g. --allow key.file-permissions on CI
    /// runners, where git keeps no file modes. The most specific pattern wins; over
    /// `[checks] allow = [...]` in sfjwt.toml too.
    #[arg(long, value_name = "ID", value_parser = parse_check_pattern)]
    pub allow: Vec<String>,

    /// Report this check's (or prefix's) failures as warnings (repeatable).
    #[arg(long, value_name = "ID", value_parser = parse_check_pattern)]
    pub warn: Vec<String>,

    /// Report this check's (or prefix's) warnings as failures (repeatable), e.g. --deny
    /// cert.validity to fail on a certificate about to expire.
    #[arg(long, value_name = "ID", value_parser = parse_check_pattern)]
    pub deny: Vec<String>,

    /// Report format: text for a terminal, json (the stable schema), markdown for a support
    /// ticket, junit for CI test reports, github for GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// The same as --format json (what Salesforce CLI users type).
    #[arg(long)]
    pub json: bool,

    /// Text and markdown: a passing bundle as one line (name, verdict, counts), a bundle with a
    /// warning or a failure in full, and the fleet's totals. JSON, JUnit and GitHub reports are
    /// always complete.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// PATH: write the --format report to PATH instead of standard output; without --format, the
    /// format follows the extension (.json, .xml junit, .md, .txt). FORMAT=PATH (repeatable):
    /// also write a report in FORMAT to PATH, e.g. --output junit=report.xml --output
    /// markdown=report.md, while standard output keeps the --format report. `-` is standard
    /// output. A file is replaced whole, when the report is complete (a failed or interrupted
    /// run leaves it as it was); a FIFO, a terminal or /dev/null is written as it is. An input of
    /// the run is refused.
    #[arg(long, short = 'o', value_name = "[FORMAT=]PATH", value_parser = OutputParser)]
    pub output: Vec<OutputSpec>,

    /// Exit 1 when any check fails (error) or also when any warns (warning, for strict pipelines).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// When to colour the text output (NO_COLOR is honoured under auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print the signed test assertion in the report. It is a credential until its exp
    /// (3 minutes): anyone holding it can log in as the user.
    #[arg(long)]
    pub show_assertion: bool,

    /// Also exchange the test assertion at the login URL's token endpoint (network): only over
    /// HTTPS to a Salesforce login host or a declared --custom-domain, or http:// to a loopback
    /// emulator. Introspects the issued token when a consumer secret is given, then revokes it.
    #[arg(long)]
    pub live: bool,

    /// With --live: the bound on each network request (connect, send, and read the answer), in
    /// seconds. A bundle's requests together (the exchange, its one retry, introspection and
    /// revocation) end within twice this, whatever the endpoint does.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::salesforce::token::DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// With --live: also trust the CA certificates of this file, beside the system store: a PEM
    /// file (one or more BEGIN CERTIFICATE blocks) or one DER certificate, such as the
    /// root CA of a TLS-inspecting proxy, exported as PEM (repeatable; $SSL_CERT_FILE is added
    /// too). Verification stays on: the chain, its dates and the host name are still checked.
    #[arg(long, value_name = "PATH")]
    pub ca_file: Vec<PathBuf>,

    /// With --live: the org the token must be for (15- or 18-character org id, 00D...);
    /// token.usable fails when the token is for another org (a refreshed sandbox, another org's
    /// consumer key). Overrides org_id in sfjwt.toml.
    #[arg(
        long,
        value_name = "ORGID",
        env = inputs::EXPECT_ORG.env.unwrap(),
        value_parser = parse_org_id
    )]
    pub expect_org: Option<String>,

    /// With --live: a scope the issued token must have (repeatable), e.g. --require-scope api
    /// --require-scope refresh_token; token.usable fails when one is missing. `full` counts for
    /// every scope but refresh_token; synonyms (offline_access, profile, ...) count.
    #[arg(long, value_name = "SCOPE", value_parser = parse_scope)]
    pub require_scope: Vec<String>,

    /// With --live: when the token request is refused, also try the other pairs of token
    /// endpoint (the login URL, the org's My Domain) and aud (the generic host, the My Domain),
    /// at most 4 token requests in all, stopping at the first that works; every token issued is
    /// revoked. Says which pair works and the sfjwt.toml lines that pin it.
    #[arg(long)]
    pub probe_audiences: bool,

    /// With --live: the wait before the one retry of a transient answer, in milliseconds. For
    /// tests (which set it to 0), so hidden.
    #[arg(long, hide = true, value_name = "MILLISECONDS",
          default_value_t = crate::salesforce::token::DEFAULT_RETRY_PAUSE.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub retry_pause_ms: u64,
}

#[derive(Debug, Args)]
#[command(mut_arg("bundles", |a| a.help(
    "The bundle directory holding server.key, sfjwt.toml and (to check the key against it) server.crt; one only"
)))]
pub struct MintArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// How long the assertion is valid: 90s, 3m, 1h, 2d, or bare seconds (at most 7d). Anyone
    /// holding it can log in as the user until it expires.
    #[arg(long, value_name = "DURATION", default_value = "3m",
          value_parser = crate::commands::mint::parse_lifetime)]
    pub lifetime: Lifetime,

    /// Count exp from this instant instead of now (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub at: Option<OffsetDateTime>,
}

pub use crate::commands::Format;
pub use crate::commands::convert::Target as ConvertTarget;
pub use crate::commands::mint::Lifetime;
pub use crate::commands::outputs::OutputSpec;
pub use crate::report::ReportFormat;

/// clap's parser for `--output`: takes the raw argument, so paths need not be UTF-8.
#[derive(Debug, Clone, Copy)]
pub struct OutputParser;

impl clap::builder::TypedValueParser for OutputParser {
    type Value = OutputSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<OutputSpec, clap::Error> {
        OutputSpec::parse(value).map_err(|message| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{message}\n"),
            )
            .with_cmd(cmd)
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    // `--fail-on warn` too, as the statuses spell it (hidden from help).
    #[value(alias = "warn")]
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--allow`, `--warn`, `--deny`: a check id or the prefix of one.
fn parse_check_pattern(value: &str) -> Result<String, String> {
    match crate::checks::policy::pattern_problem(value) {
        Some(problem) => Err(problem),
        None => Ok(value.trim().to_string()),
    }
}

/// `--expect-org`: an org id.
fn parse_org_id(value: &str) -> Result<String, String> {
    match crate::salesforce::identity::org_id_problem(value) {
        Some(problem) => Err(problem),
        None => Ok(value.trim().to_string()),
    }
}

/// `--require-scope`: one OAuth scope name.
fn parse_scope(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 64 || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("a scope is one name of letters, digits and underscores, such as api, refresh_token, web or openid; repeat the flag for more".into());
    }
    Ok(v.to_string())
}

/// `--custom-domain`'s values, as the knowledge declares them.
fn custom_domain_parser() -> clap::builder::PossibleValuesParser {
    use strum::VariantNames;
    clap::builder::PossibleValuesParser::new(crate::salesforce::hosts::CustomDomain::VARIANTS)
}

/// Parses `--at`: RFC 3339 (`2027-01-31T09:00:00Z`, `2027-01-31T09:00:00+01:00`) or a bare date
/// (`2027-01-31`, midnight UTC).
pub fn parse_instant(s: &str) -> Result<OffsetDateTime, String> {
    parse_instant_from(s, OffsetDateTime::now_utc())
}

/// [`parse_instant`], with relative forms counted from `now`: `+90d` (90 days from now), `-12h`,
/// `+2w`; units h, d and w only (m could be minutes or months).
fn parse_instant_from(s: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let date_only = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(s, &date_only) {
        return Ok(d.midnight().assume_utc());
    }
    if let Some(t) = relative(s, now) {
        return t;
    }
    Err(format!(
        "`{s}` is not an RFC 3339 instant or a time from now; write it like 2027-01-31T09:00:00Z, 2027-01-31, or +90d (also -90d, +12h, +2w)"
    ))
}

/// `+N` or `-N` with a unit h, d or w: `None` when `s` is not of that form.
fn relative(s: &str, now: OffsetDateTime) -> Option<Result<OffsetDateTime, String>> {
    let sign: i64 = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let body = &s[1..];
    let unit = body.chars().last()?;
    let hours_per: i64 = match unit {
        'h' => 1,
        'd' => 24,
        'w' => 24 * 7,
        _ => return None,
    };
    let digits = &body[..body.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // At most 100 years either way: beyond that no certificate question makes sense.
    let n: i64 = match digits.parse() {
        Ok(n) if n * hours_per <= 100 * 366 * 24 => n,
        _ => return Some(Err(format!("`{s}` is more than 100 years from now"))),
    };
    let t = now.checked_add(time::Duration::hours(sign * n * hours_per));
    Some(
        t.map(|t| t.replace_nanosecond(0).unwrap_or(t))
            .ok_or_else(|| format!("`{s}` is out of range")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn at_takes_a_time_from_now() {
        let now = time::macros::datetime!(2026-11-29 13:00:00.5 UTC);
        let at = |s: &str| parse_instant_from(s, now);
        assert_eq!(
            at("+90d").unwrap(),
            time::macros::datetime!(2027-02-27 13:00 UTC)
        );
        assert_eq!(
            at("-90d").unwrap(),
            time::macros::datetime!(2026-08-31 13:00 UTC)
        );
        assert_eq!(
            at("+12h").unwrap(),
            time::macros::datetime!(2026-11-30 01:00 UTC)
        );
        assert_eq!(
            at(" +2w ").unwrap(),
            time::macros::datetime!(2026-12-13 13:00 UTC)
        );
        assert_eq!(
            at("2027-01-31").unwrap(),
            time::macros::datetime!(2027-01-31 0:00 UTC)
        );
        for bad in ["+90", "90d", "+d", "+9.5d", "+3m", "+1y", "++1d", "+-1d"] {
            let e = at(bad).unwrap_err();
            assert!(e.contains("+90d"), "{bad}: {e}");
        }
        assert!(at("+99999999d").unwrap_err().contains("100 years"));
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn output_takes_a_path_or_format_equals_path() {
        let p = |s: &str| OutputSpec::parse(std::ffi::OsStr::new(s));
        assert_eq!(
            p("report.json").unwrap(),
            OutputSpec {
                format: None,
                path: "report.json".into()
            }
        );
        assert_eq!(
            p("junit=out/report.xml").unwrap(),
            OutputSpec {
                format: Some(ReportFormat::Junit),
                path: "out/report.xml".into()
            }
        );
        assert_eq!(
            p("Markdown=r.md").unwrap().format,
            Some(ReportFormat::Markdown)
        );
        // Only the first `=` splits; a prefix that is no word is part of the path.
        assert_eq!(p("json=a=b").unwrap().path, PathBuf::from("a=b"));
        assert_eq!(p("./x=y").unwrap().path, PathBuf::from("./x=y"));
        assert!(p("xml=r.xml").unwrap_err().contains("junit"));
        assert!(p("junit=").unwrap_err().contains("needs a path"));
        assert!(p("").is_err());
    }

    #[test]
    fn at_takes_rfc3339_and_bare_dates() {
        let t = parse_instant("2026-11-29T13:00:00Z").unwrap();
        assert_eq!(t.unix_timestamp(), 1_795_957_200);
        let d = parse_instant("2026-11-29").unwrap();
        assert_eq!(d.unix_timestamp(), 1_795_957_200 - 13 * 3600);
        let off = parse_instant("2026-11-29T14:00:00+01:00").unwrap();
        assert_eq!(off.unix_timestamp(), 1_795_957_200);
        assert!(
            parse_instant("next tuesday")
                .unwrap_err()
                .contains("RFC 3339")
        );
    }
}
