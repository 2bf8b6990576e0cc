//! Small helpers for messages in plain words.

/// `1 day`, `10 days`, `0 days`: a count with its noun in the right number.
pub fn count(n: impl Into<i64>, singular: &str, plural: &str) -> String {
    let n = n.into();
    if n == 1 || n == -1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(count(1, "day", "days"), "1 day");
        assert_eq!(count(10, "day", "days"), "10 days");
        assert_eq!(count(0, "day", "days"), "0 days");
    }
}
