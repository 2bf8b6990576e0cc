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

impl ExitStatus {
    /// Every status, in code order: what docs/exit-codes.md's table and the man pages' EXIT
    /// STATUS section list.
    pub const ALL: [ExitStatus; 3] = [ExitStatus::Ok, ExitStatus::Findings, ExitStatus::Error];

    /// The process's exit code.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// What the status means, in one line (Markdown: flags in backticks). docs/exit-codes.md's
    /// table row for the code starts with it (a unit test keeps them together).
    pub const fn meaning(self) -> &'static str {
        match self {
            ExitStatus::Ok => "no check failed (and, under `--fail-on warning`, none warned)",
            ExitStatus::Findings => {
                "at least one check failed (or, under `--fail-on warning`, warned)"
            }
            ExitStatus::Error => "the run itself could not happen",
        }
    }
}

impl From<ExitStatus> for i32 {
    fn from(s: ExitStatus) -> i32 {
        s.code()
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
        let codes: Vec<i32> = ExitStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [0, 1, 2]);
    }

    #[test]
    fn docs_exit_codes_md_table_starts_with_each_meaning() {
        let page = include_str!("../docs/exit-codes.md");
        for status in ExitStatus::ALL {
            let row = format!("| `{}` | {}", status.code(), status.meaning());
            assert!(
                page.lines().any(|l| l.starts_with(&row)),
                "docs/exit-codes.md has no table row starting with {row:?}"
            );
        }
    }
}
