//! The interactive shell and the script runner (`-f FILE`, SQL on stdin).

use std::io::Write;
use std::path::PathBuf;

use budsql_query::Session;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use crate::command::{self, Command};
use crate::error::{CliError, report};
use crate::exec::run_sql;
use crate::helper::SqlHelper;
use crate::print::Format;

/// A piece of a script: SQL text, or one backslash command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Sql(String),
    Command(String),
}

/// Splits a script into SQL chunks and command lines. A line starting with `\` is a
/// command when no statement is pending.
pub fn split_script(script: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut sql = String::new();
    for line in script.lines() {
        let code: String = sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let pending = !code.trim().is_empty() && !code.trim_end().ends_with(';');
        if line.trim_start().starts_with('\\') && !pending {
            if !sql.trim().is_empty() {
                out.push(Piece::Sql(std::mem::take(&mut sql)));
            }
            out.push(Piece::Command(line.trim().to_string()));
        } else {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    if !sql.trim().is_empty() {
        out.push(Piece::Sql(sql));
    }
    out
}

/// Runs a script; the first error stops it.
pub async fn run_script(
    session: &Session,
    script: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for piece in split_script(script) {
        match piece {
            Piece::Sql(sql) => run_sql(session, &sql, format, out).await?,
            Piece::Command(line) => match Command::parse(&line) {
                Some(Ok(cmd)) if !command::run(&cmd, session, format, out).await? => break,
                Some(Ok(_)) => {}
                Some(Err(msg)) => return Err(CliError::Usage(msg)),
                None => {}
            },
        }
    }
    Ok(())
}

fn history_path() -> Option<PathBuf> {
    crate::paths::data_dir().map(|d| d.join("history"))
}

/// The interactive shell. Errors are printed and the shell goes on.
pub async fn repl(session: &Session, format: Format) -> Result<(), CliError> {
    let config = Config::builder().auto_add_history(false).build();
    let mut rl: Editor<SqlHelper, DefaultHistory> =
        Editor::with_config(config).map_err(|e| CliError::Usage(e.to_string()))?;
    rl.set_helper(Some(SqlHelper::new()));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    // the units view has one row per document (its files' row counts, no scan)
    let docs: u64 = session
        .manifest()
        .files
        .iter()
        .filter(|f| f.table == "units")
        .map(|f| f.rows)
        .sum();
    println!(
        "budsql {} — {docs} document(s) in the store. `\\?` for help, `\\q` to quit.",
        env!("CARGO_PKG_VERSION")
    );
    let stdout = std::io::stdout();
    loop {
        match rl.readline("budsql> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(line.as_str());
                let mut out = stdout.lock();
                let result = match Command::parse(&line) {
                    Some(Ok(cmd)) => match command::run(&cmd, session, format, &mut out).await {
                        Ok(true) => Ok(()),
                        Ok(false) => break,
                        Err(e) => Err(e),
                    },
                    Some(Err(msg)) => Err(CliError::Usage(msg)),
                    None => run_sql(session, &line, format, &mut out).await,
                };
                if let Err(e) = result {
                    report(&e, &mut std::io::stderr());
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(CliError::Usage(e.to_string())),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.save_history(h);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_sql_and_commands() {
        let s = "\\d\nSELECT 1\n;\n\\d units\nSELECT 2;";
        assert_eq!(
            split_script(s),
            vec![
                Piece::Command("\\d".into()),
                Piece::Sql("SELECT 1\n;\n".into()),
                Piece::Command("\\d units".into()),
                Piece::Sql("SELECT 2;\n".into()),
            ]
        );
    }
}
