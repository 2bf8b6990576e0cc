//! What the head and the tail of a report need of its bundles, gathered bundle by bundle as they
//! finish, in bounded memory: the counts, and in [`Spool`]s the certificates' end dates (the
//! JSON summary's `expiring`, every one of them, soonest first) and the bundles that did not
//! pass (the text summary's table). A fleet's report never holds its bundles.

use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

use super::spool::Spool;
use super::summary::{self, Counts, Expiring, StatusCounts};
use super::{BundleReport, Report, Verdict};

/// A bundle that did not pass: its name and "fail: a, b; warn: c".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub name: String,
    pub problems: String,
    /// Its failing and warning check ids.
    pub failed: Vec<String>,
    pub warned: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Totals {
    pub counts: Counts,
    pub checks: StatusCounts,
    /// What the run as a whole must say ([`super::override_notes`]).
    pub notes: Vec<String>,
    /// The longest name of a bundle that did not pass, in characters.
    pub name_width: usize,
    expiring: Spool,
    /// Per certificate: days left, and where its entry is in `expiring`.
    expiring_keys: Vec<(i64, u64, u32)>,
    failing: Spool,
    warning: Spool,
    /// The environment variables that replaced bundles' own settings, and in how many bundles.
    overridden: Vec<(&'static str, usize)>,
}

impl Totals {
    pub fn new() -> Self {
        Totals::default()
    }

    /// The totals of a whole report (tests, small reports).
    pub fn of(report: &Report) -> Totals {
        let mut t = Totals::new();
        for b in &report.bundles {
            t.add(b).expect("a report in memory spools in memory");
        }
        t.notes = report.run.notes.clone();
        t
    }

    /// Counts one bundle in.
    pub fn add(&mut self, b: &BundleReport) -> io::Result<()> {
        match b.verdict {
            Verdict::Pass => self.counts.pass += 1,
            Verdict::Warn => self.counts.warn += 1,
            Verdict::Fail => self.counts.fail += 1,
        }
        self.checks.add(&b.checks);
        for var in &b.overridden {
            match self.overridden.iter_mut().find(|(v, _)| v == var) {
                Some((_, n)) => *n += 1,
                None => self.overridden.push((var, 1)),
            }
        }
        if let Some(e) = summary::expiry(b) {
            let mut line = serde_json::to_vec(&Expiring::from(&e)).map_err(io::Error::other)?;
            line.push(b'\n');
            let at = self.expiring.push(&line)?;
            self.expiring_keys
                .push((e.days_left, at, line.len() as u32));
        }
        if b.verdict != Verdict::Pass {
            let ids = |s| {
                summary::ids_with(b, s)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            };
            let row = Row {
                name: b.name.clone(),
                problems: summary::problems(b),
                failed: ids(crate::finding::Status::Fail),
                warned: ids(crate::finding::Status::Warn),
            };
            self.name_width = self.name_width.max(b.name.chars().count());
            let mut line = serde_json::to_vec(&row).map_err(io::Error::other)?;
            line.push(b'\n');
            match b.verdict {
                Verdict::Fail => self.failing.push(&line)?,
                _ => self.warning.push(&line)?,
            };
        }
        Ok(())
    }

    /// The run's notes on the variables that replaced bundles' own settings.
    pub fn override_notes(&self) -> Vec<String> {
        super::override_notes(&self.overridden, self.counts.total())
    }

    pub fn verdict(&self) -> Verdict {
        if self.counts.fail > 0 {
            Verdict::Fail
        } else if self.counts.warn > 0 {
            Verdict::Warn
        } else {
            Verdict::Pass
        }
    }

    /// How many certificates were read.
    pub fn expiring_count(&self) -> usize {
        self.expiring_keys.len()
    }

    /// The first `limit` certificates (all with `None`), soonest expiry first; ties keep the
    /// run's order.
    pub fn expiring(
        &mut self,
        limit: Option<usize>,
        mut f: impl FnMut(Expiring) -> io::Result<()>,
    ) -> io::Result<()> {
        self.expiring_keys
            .sort_unstable_by_key(|&(days, at, _)| (days, at));
        let n = limit.unwrap_or(usize::MAX).min(self.expiring_keys.len());
        for i in 0..n {
            let (_, at, len) = self.expiring_keys[i];
            let line = self.expiring.read_at(at, len as usize)?;
            f(serde_json::from_slice(&line).map_err(io::Error::other)?)?;
        }
        Ok(())
    }

    /// The bundles that did not pass, failing ones first, then warning ones, each in run order;
    /// the first `limit` of them (all with `None`).
    pub fn not_passing(
        &mut self,
        limit: Option<usize>,
        mut f: impl FnMut(Verdict, Row) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut left = limit.unwrap_or(usize::MAX);
        for (verdict, spool) in [
            (Verdict::Fail, &mut self.failing),
            (Verdict::Warn, &mut self.warning),
        ] {
            for line in spool.reader()?.lines() {
                if left == 0 {
                    return Ok(());
                }
                left -= 1;
                f(
                    verdict,
                    serde_json::from_str(&line?).map_err(io::Error::other)?,
                )?;
            }
        }
        Ok(())
    }

    /// The JSON report's `summary`, `expiring` left empty ([`Totals::expiring`] streams it).
    pub fn summary_without_expiring(&self) -> summary::Summary {
        summary::Summary {
            bundles: self.counts.total(),
            pass: self.counts.pass,
            warn: self.counts.warn,
            fail: self.counts.fail,
            checks: self.checks,
            expiring: Vec::new(),
        }
    }
}
