//! The shell's pager: a result wider or longer than the terminal goes through `$PAGER`
//! (default `less -S`, which scrolls sideways rather than wrapping rows).

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use crate::error::CliError;

/// Whether `text` fits a terminal of `cols` × `rows`.
pub fn fits(text: &str, cols: usize, rows: usize) -> bool {
    let mut lines = 0;
    for l in text.lines() {
        lines += 1;
        if lines >= rows || unicode_width::UnicodeWidthStr::width(l) > cols {
            return false;
        }
    }
    true
}

/// The pager command: `$BUDSQL_PAGER`, else `$PAGER`, else `less -S`; an empty value
/// means none.
fn pager_command() -> Option<Vec<String>> {
    let v = std::env::var("BUDSQL_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less -S".to_string());
    let words: Vec<String> = v.split_whitespace().map(str::to_string).collect();
    (!words.is_empty()).then_some(words)
}

/// Shows a result on standard output, through the pager when it is on, standard output is
/// a terminal and the result does not fit it.
pub fn show(buf: &[u8], pager: bool) -> Result<(), CliError> {
    if buf.is_empty() {
        return Ok(());
    }
    let stdout = std::io::stdout();
    if pager && stdout.is_terminal() {
        let text = String::from_utf8_lossy(buf);
        let (cols, rows) = terminal_size::terminal_size()
            .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
            .unwrap_or((80, 24));
        if !fits(&text, cols, rows)
            && let Some(cmd) = pager_command()
            && let Some((prog, args)) = cmd.split_first()
        {
            let mut env_less = std::env::var("LESS").unwrap_or_default();
            // (less: raw control characters kept, and no pager for what fits after all)
            if !env_less.contains('R') {
                env_less.push('R');
            }
            if let Ok(mut child) = Command::new(prog)
                .args(args)
                .env("LESS", env_less)
                .stdin(Stdio::piped())
                .spawn()
            {
                if let Some(mut stdin) = child.stdin.take() {
                    // (the reader quitting early is no error)
                    let _ = stdin.write_all(buf);
                }
                let _ = child.wait();
                return Ok(());
            }
        }
    }
    let mut out = stdout.lock();
    out.write_all(buf)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_or_long_results_do_not_fit() {
        assert!(fits("a\nb\n", 80, 24));
        assert!(!fits(&"x".repeat(81), 80, 24));
        // CJK characters are two columns wide
        assert!(!fits(&"预".repeat(41), 80, 24));
        assert!(!fits(&"row\n".repeat(30), 80, 24));
    }
}
