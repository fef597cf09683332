//! Glob patterns on column names: `*` matches any run of characters (including none),
//! `?` exactly one character, everything else itself. Matching is case-sensitive and
//! works on Unicode characters, not bytes. There are no character classes, so column
//! names such as `Speed [km/h]` can be written literally.

use super::error::DataError;

/// Whether `name` matches the glob `pattern` in full.
///
/// `*` matches any run of characters (including the empty one), `?` matches exactly one
/// character, every other character matches only itself (case-sensitive).
///
/// ```
/// use glassbox_data::glob_match;
/// assert!(glob_match("Wagon_*", "Wagon_Twist3m"));
/// assert!(glob_match("Wagon_*", "Wagon_"));
/// assert!(!glob_match("Wagon_*", "wagon_Twist3m"));
/// assert!(glob_match("Axle?_Temp", "Axle2_Temp"));
/// assert!(!glob_match("Axle?_Temp", "Axle12_Temp"));
/// assert!(glob_match("Speed [km/h]", "Speed [km/h]"));
/// ```
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Greedy two-pointer matching with one backtrack point: the most recent `*` and the
    // name position it currently stands for. Runs in O(|p|·|n|) at worst.
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == n[ni])) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            // Let the last `*` swallow one more character and retry.
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether the pattern contains a wildcard (`*` or `?`).
///
/// ```
/// use glassbox_data::is_glob;
/// assert!(is_glob("Wagon_*"));
/// assert!(!is_glob("Wagon_Speed"));
/// ```
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Rejects patterns that cannot mean anything: empty or all-whitespace ones.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), DataError> {
    if pattern.trim().is_empty() {
        return Err(DataError::BadGlob { pattern: pattern.to_string(), reason: "the pattern is empty".to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal() {
        assert!(glob_match("Wagon_Speed", "Wagon_Speed"));
        assert!(!glob_match("Wagon_Speed", "Wagon_Speed2"));
        assert!(!glob_match("Wagon_Speed", "Wagon_Spee"));
        assert!(!glob_match("Wagon_Speed", "wagon_speed"));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "a"));
    }

    #[test]
    fn star() {
        assert!(glob_match("Wagon_*", "Wagon_Twist"));
        assert!(glob_match("Wagon_*", "Wagon_"));
        assert!(!glob_match("Wagon_*", "Wagon"));
        assert!(!glob_match("Wagon_*", "Loco_Twist"));
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("*_Twist*", "Wagon_Twist3m"));
        assert!(glob_match("*Twist", "Wagon_Twist"));
        assert!(!glob_match("*Twist", "Wagon_Twist3m"));
        assert!(glob_match("a*b*c", "a_b_b_c"));
        assert!(!glob_match("a*b*c", "a_c_b"));
        assert!(glob_match("a**b", "ab"));
        // Backtracking: the first `*` must not stop at the first 'b'.
        assert!(glob_match("*ab", "aab"));
        assert!(glob_match("*b?d", "abxbcd"));
    }

    #[test]
    fn question_mark() {
        assert!(glob_match("Axle?", "Axle1"));
        assert!(!glob_match("Axle?", "Axle"));
        assert!(!glob_match("Axle?", "Axle12"));
        assert!(glob_match("Axle??", "Axle12"));
        assert!(glob_match("?", "é"), "one character, not one byte");
        assert!(glob_match("T?mp*", "Temp_front"));
    }

    #[test]
    fn glob_detection_and_checks() {
        assert!(is_glob("a*"));
        assert!(is_glob("a?"));
        assert!(!is_glob("Speed [km/h]"));
        assert!(check_pattern("x").is_ok());
        let e = check_pattern("  ").unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
    }
}
