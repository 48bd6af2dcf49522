//! The interactive shell and the script runner (`-f FILE`, SQL on stdin).

use std::io::Write;
use std::path::PathBuf;

use budsql_query::Session;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use crate::command::{self, Command, Flow};
use crate::error::{CliError, report};
use crate::exec::run_sql;
use crate::helper::SqlHelper;
use crate::settings::Settings;

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

/// Runs a script; the first error stops it. `\i FILE` runs FILE's script in place.
pub async fn run_script(
    session: &Session,
    script: &str,
    settings: &mut Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    run_script_at(session, script, settings, out, 0)
        .await
        .map(|_| ())
}

/// How deep `\i` may nest (a file including itself stops here).
const MAX_INCLUDE_DEPTH: usize = 16;

/// Runs a script; returns `false` when it ended with `\q`.
fn run_script_at<'a>(
    session: &'a Session,
    script: &'a str,
    settings: &'a mut Settings,
    out: &'a mut dyn Write,
    depth: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<bool, CliError>> + 'a>> {
    Box::pin(async move {
        for piece in split_script(script) {
            match piece {
                Piece::Sql(sql) => run_sql(session, &sql, settings, out).await?,
                Piece::Command(line) => match Command::parse(&line) {
                    Some(Ok(cmd)) => match command::run(&cmd, session, settings, out).await? {
                        Flow::Continue => {}
                        Flow::Quit => return Ok(false),
                        Flow::Include(path) => {
                            if !include(session, &path, settings, out, depth).await? {
                                return Ok(false);
                            }
                        }
                    },
                    Some(Err(msg)) => return Err(CliError::Usage(msg)),
                    None => {}
                },
            }
        }
        Ok(true)
    })
}

/// Runs the script in `path` (`\i`).
async fn include(
    session: &Session,
    path: &std::path::Path,
    settings: &mut Settings,
    out: &mut dyn Write,
    depth: usize,
) -> Result<bool, CliError> {
    if depth >= MAX_INCLUDE_DEPTH {
        return Err(CliError::Usage(format!(
            "`\\i {}`: scripts include each other more than {MAX_INCLUDE_DEPTH} deep",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    run_script_at(session, &text, settings, out, depth + 1).await
}

fn history_path() -> Option<PathBuf> {
    crate::paths::data_dir().map(|d| d.join("history"))
}

/// Runs one input of the shell (a statement or a command); Ctrl-C cancels it.
async fn run_input(
    session: &Session,
    line: &str,
    settings: &mut Settings,
) -> Result<bool, CliError> {
    let work = async {
        let mut buf: Vec<u8> = Vec::new();
        let result = match Command::parse(line) {
            Some(Ok(cmd)) => match command::run(&cmd, session, settings, &mut buf).await {
                Ok(Flow::Continue) => Ok(true),
                Ok(Flow::Quit) => Ok(false),
                Ok(Flow::Include(path)) => include(session, &path, settings, &mut buf, 0).await,
                Err(e) => Err(e),
            },
            Some(Err(msg)) => Err(CliError::Usage(msg)),
            None => run_sql(session, line, settings, &mut buf)
                .await
                .map(|_| true),
        };
        (result, buf)
    };
    let (result, buf) = tokio::select! {
        r = work => r,
        _ = tokio::signal::ctrl_c() => (Err(CliError::Cancelled), Vec::new()),
    };
    crate::pager::show(&buf, settings.pager)?;
    result
}

/// The interactive shell. Errors are printed and the shell goes on.
pub async fn repl(session: &Session, settings: &mut Settings) -> Result<(), CliError> {
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)
        .map_err(|e| CliError::Usage(e.to_string()))?
        .build();
    let mut rl: Editor<SqlHelper, DefaultHistory> =
        Editor::with_config(config).map_err(|e| CliError::Usage(e.to_string()))?;
    rl.set_helper(Some(SqlHelper::new(session)));
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
    loop {
        match rl.readline("budsql> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                // (a statement over several lines is one history entry)
                let _ = rl.add_history_entry(line.as_str());
                match run_input(session, &line, settings).await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) if e.is_broken_pipe() => {}
                    Err(e) => report(&e, &mut std::io::stderr()),
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
