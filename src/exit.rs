//! How a run ends: the exit status (a contract, docs/exit-codes.md) and the error that stops a
//! run. Only the binary turns a status into the process's exit code.

/// The exit status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: no check failed (and none warned, under `--fail-on warning`).
    Ok = 0,
    /// 1: at least one check failed (or warned, under `--fail-on warning`).
    Findings = 1,
    /// 2: the run itself could not happen.
    Error = 2,
}

impl From<ExitStatus> for i32 {
    fn from(s: ExitStatus) -> i32 {
        s as i32
    }
}

/// A problem that stops the run with exit status 2. Its text is cleaned of secrets before it is
/// printed.
#[derive(Debug)]
pub struct RunError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_the_documented_codes() {
        assert_eq!(i32::from(ExitStatus::Ok), 0);
        assert_eq!(i32::from(ExitStatus::Findings), 1);
        assert_eq!(i32::from(ExitStatus::Error), 2);
    }
}
