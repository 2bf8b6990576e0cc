//! The command line: clap's definitions ([`args`]), the screen that keeps secrets out of
//! argument errors ([`argv`]), completions and man pages ([`generate`]), and [`main`], which
//! turns arguments into a command's plain settings and its exit status into a code.

pub mod args;
pub mod argv;
pub mod generate;
mod man_sections;
mod run;

pub use args::*;
pub use run::{colour, main};
