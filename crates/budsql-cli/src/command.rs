//! Backslash commands of the REPL and scripts: `\q`, `\?`, `\d`, `\d VIEW`.

use std::io::Write;
use std::sync::Arc;

use budsql_query::Session;
use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};

use crate::error::CliError;
use crate::print::{Format, print};

/// A parsed backslash command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    ListViews,
    Describe(String),
}

impl Command {
    /// Parses a line starting with `\`; `None` when it is not a known command.
    pub fn parse(line: &str) -> Option<Result<Command, String>> {
        let t = line.trim().trim_end_matches(';').trim();
        let rest = t.strip_prefix('\\')?;
        let mut parts = rest.split_whitespace();
        let cmd = parts.next().unwrap_or("");
        let arg = parts.next();
        Some(match (cmd, arg) {
            ("q" | "quit", None) => Ok(Command::Quit),
            ("?" | "h" | "help", None) => Ok(Command::Help),
            ("d", None) => Ok(Command::ListViews),
            ("d", Some(v)) => Ok(Command::Describe(v.to_string())),
            _ => Err(format!(
                "unknown command `\\{rest}`; `\\?` lists the commands"
            )),
        })
    }
}

const HELP: &str = "\
Statements end with `;` and may span lines. Commands:
  \\d          list the views
  \\d VIEW     the columns of VIEW and their types
  \\?          this help
  \\q          quit (also Ctrl-D)
Examples are in the project's queries/ folder.";

fn strings(names: &[&str], cols: Vec<Vec<String>>) -> Result<(Arc<Schema>, RecordBatch), CliError> {
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .map(|n| Field::new(*n, DataType::Utf8, false))
            .collect::<Vec<_>>(),
    ));
    let arrays = cols
        .into_iter()
        .map(|c| Arc::new(StringArray::from(c)) as _)
        .collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays)
        .map_err(datafusion::error::DataFusionError::from)?;
    Ok((schema, batch))
}

/// Runs a command; returns `false` when the session should end.
pub async fn run(
    cmd: &Command,
    session: &Session,
    format: Format,
    out: &mut dyn Write,
) -> Result<bool, CliError> {
    match cmd {
        Command::Quit => return Ok(false),
        Command::Help => writeln!(out, "{HELP}")?,
        Command::ListViews => {
            let views = Session::views();
            let (schema, batch) = strings(
                &["view", "holds"],
                vec![
                    views.iter().map(|(n, _)| n.to_string()).collect(),
                    views.iter().map(|(_, a)| a.to_string()).collect(),
                ],
            )?;
            print(out, format, &schema, &[batch])?;
        }
        Command::Describe(name) => {
            let cols = session.describe(name).await?;
            let (schema, batch) = strings(
                &["column", "type", "nullable", "term", "meaning"],
                vec![
                    cols.iter().map(|c| c.name.clone()).collect(),
                    cols.iter().map(|c| c.data_type.clone()).collect(),
                    cols.iter()
                        .map(|c| if c.nullable { "YES" } else { "NO" }.to_string())
                        .collect(),
                    cols.iter().map(|c| c.term.clone()).collect(),
                    cols.iter().map(|c| c.about.clone()).collect(),
                ],
            )?;
            print(out, format, &schema, &[batch])?;
        }
    }
    Ok(true)
}
