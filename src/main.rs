//! The `sfjwt` binary: everything lives in the library; this only hands over the arguments and
//! turns the result into the process exit code.

fn main() {
    std::process::exit(sfjwt::cli::main(std::env::args_os()));
}
