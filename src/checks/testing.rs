//! What the checks' unit tests share: the instant they judge at, running one check on a bundle,
//! and bundles with a username (and a login URL).

use super::{Check, Scratch};
use crate::bundle::{Bundle, Origin, Setting};
use crate::context::Context;
use crate::finding::Outcome;

/// The instant every check test judges at (the fixtures' `--at`).
pub fn ctx() -> Context {
    Context::new(time::macros::datetime!(2026-11-29 13:00 UTC))
}

/// One check's outcome on a bundle, with a scratch of its own.
pub fn run(check: &Check, b: &Bundle) -> Outcome {
    check.outcome(b, &ctx(), &mut Scratch::default())
}

/// A bundle with this username, from `--username`.
pub fn with_user(u: &str) -> Bundle {
    let mut b = Bundle::empty("t");
    b.username = Some(Setting::new(u, Origin::Flag("--username")));
    b
}

/// A bundle with this username and this login URL, from `$SFJWT_LOGIN_URL`.
pub fn with_user_and_url(u: &str, url: &str) -> Bundle {
    let mut b = with_user(u);
    b.login_url = Some(Setting::new(url, Origin::Env("SFJWT_LOGIN_URL".into())));
    b
}
