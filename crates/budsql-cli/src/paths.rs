//! Where budsql keeps things when nobody says: the default store and the REPL history.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/budsql`, else `~/.local/share/budsql`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("budsql"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".local").join("share").join("budsql"))
}

/// The store used when neither `--store` nor `BUDSQL_STORE` names one.
pub fn default_store() -> PathBuf {
    data_dir()
        .map(|d| d.join("store"))
        .unwrap_or_else(|| PathBuf::from(".budsql").join("store"))
}

/// A memory limit given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Bytes(usize),
    None,
}

/// Parses `512M`, `4G`, `1.5G`, `100K`, `1048576` or `none`.
pub fn parse_size(s: &str) -> Result<Limit, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("unlimited") {
        return Ok(Limit::None);
    }
    let upper = t.to_ascii_uppercase();
    let body = upper.trim_end_matches('B').trim_end_matches('I');
    let units = [
        ('K', 1u64 << 10),
        ('M', 1 << 20),
        ('G', 1 << 30),
        ('T', 1 << 40),
    ];
    let (num, mult) = units
        .iter()
        .find_map(|(c, m)| body.strip_suffix(*c).map(|n| (n, *m)))
        .unwrap_or((body, 1));
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size (expected e.g. 512M, 4G or none)"))?;
    if value.is_nan() || value <= 0.0 {
        return Err(format!(
            "`{s}`: the memory limit must be positive (or `none`)"
        ));
    }
    Ok(Limit::Bytes((value * mult as f64) as usize))
}

/// Half the machine's memory (from /proc/meminfo), at most 8 GiB; 2 GiB where unknown.
pub fn default_memory_limit() -> usize {
    let total_kb = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<usize>().ok())
    });
    match total_kb {
        Some(kb) => (kb * 1024 / 2).min(8 << 30),
        None => 2 << 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512M"), Ok(Limit::Bytes(512 << 20)));
        assert_eq!(parse_size("4g"), Ok(Limit::Bytes(4 << 30)));
        assert_eq!(parse_size("1.5GiB"), Ok(Limit::Bytes(3 << 29)));
        assert_eq!(parse_size("1024"), Ok(Limit::Bytes(1024)));
        assert_eq!(parse_size("none"), Ok(Limit::None));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
    }
}
