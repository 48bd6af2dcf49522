//! Backslash commands of the shell and of scripts (`\?` lists them).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use budsql_query::Session;
use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};

use crate::error::CliError;
use crate::exec::run_sql;
use crate::print::{Format, print_with};
use crate::settings::Settings;

/// A parsed backslash command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    ListViews,
    Describe(String),
    /// `\\sv VIEW`: the SQL that defines a view.
    ShowView(String),
    /// `\timing [on|off]`: without an argument, toggles.
    Timing(Option<bool>),
    /// `\format [FMT]`: without an argument, says the format.
    Format(Option<String>),
    /// `\x [on|off]`: expanded rows; without an argument, toggles.
    Expanded(Option<bool>),
    /// `\o [FILE]`: results to FILE, or back to the terminal.
    Output(Option<PathBuf>),
    /// `\i FILE`: run the statements and commands of FILE.
    Include(PathBuf),
    /// `\set [NAME [VALUE]]`: without arguments, lists the variables.
    Set(Option<(String, String)>),
    /// `\unset NAME`.
    Unset(String),
    /// `\pset [OPTION [VALUE]]`: null, thousands, max_rows, pager.
    Pset(Option<(String, Option<String>)>),
    /// `\units [PATTERN]`: units whose name contains PATTERN.
    Units(Option<String>),
    /// `\regions`.
    Regions,
    /// `\explain [analyze] STATEMENT`: the plan DataFusion makes for a statement.
    Explain {
        analyze: bool,
        sql: String,
    },
}

/// What the caller does after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
    /// Run the script in this file (`\i`).
    Include(PathBuf),
}

fn on_off(arg: &str) -> Result<bool, String> {
    match arg.to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        _ => Err(format!("expected `on` or `off`, found `{arg}`")),
    }
}

impl Command {
    /// Parses a line starting with `\`; `None` when it does not start with `\`.
    pub fn parse(line: &str) -> Option<Result<Command, String>> {
        let t = line.trim();
        let rest = t.strip_prefix('\\')?;
        let (cmd, arg) = match rest.split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (rest, ""),
        };
        let cmd = cmd.trim_end_matches(';');
        // (a command line may end with `;`, as a statement does)
        let arg_plain = arg.trim_end_matches(';').trim();
        let opt = |a: &str| (!a.is_empty()).then(|| a.to_string());
        let toggle = |a: &str| -> Result<Option<bool>, String> {
            if a.is_empty() {
                Ok(None)
            } else {
                on_off(a).map(Some)
            }
        };
        Some(match cmd {
            "q" | "quit" if arg_plain.is_empty() => Ok(Command::Quit),
            "?" | "h" | "help" if arg_plain.is_empty() => Ok(Command::Help),
            "d" if arg_plain.is_empty() => Ok(Command::ListViews),
            "d" => Ok(Command::Describe(arg_plain.to_string())),
            "sv" if !arg_plain.is_empty() => Ok(Command::ShowView(arg_plain.to_string())),
            "sv" => Err("`\\sv VIEW` shows the SQL that defines a view: which view?".to_string()),
            "timing" => toggle(arg_plain).map(Command::Timing),
            "x" => toggle(arg_plain).map(Command::Expanded),
            "format" => Ok(Command::Format(opt(arg_plain))),
            "o" | "out" => Ok(Command::Output(opt(arg_plain).map(PathBuf::from))),
            "i" | "include" if !arg_plain.is_empty() => {
                Ok(Command::Include(PathBuf::from(arg_plain)))
            }
            "i" | "include" => Err("`\\i FILE` runs a script file: which file?".to_string()),
            "set" if arg_plain.is_empty() => Ok(Command::Set(None)),
            "set" => {
                let (name, value) = match arg_plain.split_once(char::is_whitespace) {
                    Some((n, v)) => (n, v.trim()),
                    None => (arg_plain, ""),
                };
                if !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    || !name
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                {
                    Err(format!(
                        "`{name}` is not a variable name (letters, digits and `_`, not starting with a digit)"
                    ))
                } else {
                    Ok(Command::Set(Some((name.to_string(), value.to_string()))))
                }
            }
            "unset" if !arg_plain.is_empty() => Ok(Command::Unset(arg_plain.to_string())),
            "pset" if arg_plain.is_empty() => Ok(Command::Pset(None)),
            "pset" => {
                let (name, value) = match arg_plain.split_once(char::is_whitespace) {
                    Some((n, v)) => (n, Some(v.trim().to_string())),
                    None => (arg_plain, None),
                };
                Ok(Command::Pset(Some((name.to_string(), value))))
            }
            "units" => Ok(Command::Units(opt(arg_plain))),
            "regions" if arg_plain.is_empty() => Ok(Command::Regions),
            "explain" if !arg_plain.is_empty() => {
                let (analyze, sql) = match arg_plain.split_once(char::is_whitespace) {
                    Some((a, s)) if a.eq_ignore_ascii_case("analyze") => (true, s.trim()),
                    _ => (false, arg_plain),
                };
                Ok(Command::Explain {
                    analyze,
                    sql: sql.to_string(),
                })
            }
            "explain" => {
                Err("`\\explain STATEMENT` shows a statement's plan: which statement?".into())
            }
            _ => Err(format!(
                "unknown command `\\{rest}`; `\\?` lists the commands"
            )),
        })
    }
}

/// The commands, for `\?` and the README.
pub const HELP: &str = "\
Statements end with `;` and may span lines; Ctrl-C cancels a running statement, Ctrl-D quits.
Commands:
  \\d                      list the views
  \\d VIEW                 the columns of VIEW: type, Chinese term and meaning
  \\sv VIEW                the SQL that defines VIEW (to read, copy or re-weight a research view)
  \\units [PATTERN]        units whose name contains PATTERN, with their documents and years
  \\regions                regions, with their units and documents
  \\explain [analyze] SQL  the plan of a statement (with analyze: run, with row counts and times)
  \\timing [on|off]        print each statement's time (no argument: toggle)
  \\format [FMT]           output format: table, csv, json, ndjson, markdown, xlsx
  \\x [on|off]             expanded rows: one line per column (no argument: toggle)
  \\pset [OPTION [VALUE]]  null TEXT | thousands on|off | max_rows N|all | pager on|off
  \\o [FILE]               results to FILE (an .xlsx workbook with `\\format xlsx`); no FILE: back to the terminal
  \\i FILE                 run the statements and commands in FILE
  \\set [NAME [VALUE]]     set a variable, used as :NAME, :'NAME' (a quoted literal) or :\"NAME\"
  \\unset NAME             remove a variable
  \\?                      this help
  \\q                      quit
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

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Prints a table the shell makes (help lists, variables) in the settings' form (a
/// workbook takes no such table: it prints as a table).
fn show(
    settings: &mut Settings,
    out: &mut dyn Write,
    names: &[&str],
    cols: Vec<Vec<String>>,
) -> Result<(), CliError> {
    let (schema, batch) = strings(names, cols)?;
    let mut opts = settings.print_options();
    if opts.format == Format::Xlsx {
        opts.format = Format::Table;
    }
    // (the shell's own lists are short and shown whole)
    opts.max_rows = None;
    print_with(settings.sink(out), &opts, &schema, &[batch])?;
    Ok(())
}

/// Runs a command. Messages (`Timing is on.`) go to `out`; results where the settings say.
pub async fn run(
    cmd: &Command,
    session: &Session,
    settings: &mut Settings,
    out: &mut dyn Write,
) -> Result<Flow, CliError> {
    match cmd {
        Command::Quit => return Ok(Flow::Quit),
        Command::Help => writeln!(out, "{HELP}")?,
        Command::ListViews => {
            let views = Session::views();
            show(
                settings,
                out,
                &["view", "holds"],
                vec![
                    views.iter().map(|(n, _)| n.to_string()).collect(),
                    views.iter().map(|(_, a)| a.to_string()).collect(),
                ],
            )?;
        }
        Command::Describe(name) => {
            let cols = session.describe(name).await?;
            show(
                settings,
                out,
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
        }
        Command::ShowView(name) => writeln!(out, "{}", Session::definition(name)?)?,
        Command::Timing(v) => {
            settings.timing = v.unwrap_or(!settings.timing);
            let s = if settings.timing { "on" } else { "off" };
            writeln!(out, "Timing is {s}.")?;
        }
        Command::Expanded(v) => {
            settings.expanded = v.unwrap_or(!settings.expanded);
            let s = if settings.expanded { "on" } else { "off" };
            writeln!(out, "Expanded display is {s}.")?;
        }
        Command::Format(None) => writeln!(out, "Output format is {}.", settings.format.name())?,
        Command::Format(Some(name)) => {
            let f = Format::parse(name).ok_or_else(|| {
                CliError::Usage(format!(
                    "unknown format `{name}`: table, csv, json, ndjson, markdown or xlsx"
                ))
            })?;
            if f == Format::Xlsx && settings.to_stdout() {
                writeln!(
                    out,
                    "Output format is xlsx: results go to a workbook once `\\o FILE.xlsx` names it."
                )?;
            } else {
                writeln!(out, "Output format is {}.", f.name())?;
            }
            settings.format = f;
        }
        Command::Output(path) => {
            settings.set_output(path.as_deref())?;
            match path {
                Some(p) => writeln!(out, "Results go to {}.", p.display())?,
                None => writeln!(out, "Results go to the terminal.")?,
            }
        }
        Command::Include(path) => return Ok(Flow::Include(path.clone())),
        Command::Set(None) => {
            let vars: Vec<(String, String)> = settings
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            show(
                settings,
                out,
                &["name", "value"],
                vec![
                    vars.iter().map(|(k, _)| k.clone()).collect(),
                    vars.iter().map(|(_, v)| v.clone()).collect(),
                ],
            )?;
        }
        Command::Set(Some((name, value))) => {
            settings.vars.insert(name.clone(), value.clone());
        }
        Command::Unset(name) => {
            settings.vars.remove(name);
        }
        Command::Pset(None) => {
            let rows = [
                ("null", settings.null.clone()),
                (
                    "thousands",
                    if settings.thousands { "on" } else { "off" }.to_string(),
                ),
                (
                    "max_rows",
                    settings
                        .max_rows
                        .map_or("all".to_string(), |n| n.to_string()),
                ),
                (
                    "pager",
                    if settings.pager { "on" } else { "off" }.to_string(),
                ),
            ];
            show(
                settings,
                out,
                &["option", "value"],
                vec![
                    rows.iter().map(|(k, _)| k.to_string()).collect(),
                    rows.iter().map(|(_, v)| v.clone()).collect(),
                ],
            )?;
        }
        Command::Pset(Some((name, value))) => {
            let v = value.as_deref().unwrap_or("");
            let usage = |m: String| CliError::Usage(m);
            match name.as_str() {
                "null" => settings.null = v.to_string(),
                "thousands" => {
                    settings.thousands = if v.is_empty() {
                        !settings.thousands
                    } else {
                        on_off(v).map_err(usage)?
                    }
                }
                "pager" => {
                    settings.pager = if v.is_empty() {
                        !settings.pager
                    } else {
                        on_off(v).map_err(usage)?
                    }
                }
                "max_rows" => {
                    settings.max_rows = match v {
                        "all" | "0" | "" => None,
                        n => Some(n.parse::<usize>().map_err(|_| {
                            usage(format!(
                                "`\\pset max_rows` takes a number or `all`, not `{n}`"
                            ))
                        })?),
                    }
                }
                other => {
                    return Err(usage(format!(
                        "unknown option `{other}`: null, thousands, max_rows or pager"
                    )));
                }
            }
            writeln!(
                out,
                "{name} is {}.",
                match name.as_str() {
                    "null" => format!("`{}`", settings.null),
                    "thousands" => if settings.thousands { "on" } else { "off" }.to_string(),
                    "pager" => if settings.pager { "on" } else { "off" }.to_string(),
                    _ => settings
                        .max_rows
                        .map_or("all".to_string(), |n| n.to_string()),
                }
            )?;
        }
        Command::Units(pattern) => {
            let filter = match pattern {
                Some(p) => format!("WHERE unit_name LIKE {}", quote(&format!("%{p}%"))),
                None => String::new(),
            };
            let sql = format!(
                "SELECT unit_name, region, unit_kind, count(*) AS documents, \
                 min(year) AS first_year, max(year) AS last_year \
                 FROM units {filter} GROUP BY unit_name, region, unit_kind \
                 ORDER BY region, unit_name"
            );
            run_sql(session, &sql, settings, out).await?;
        }
        Command::Regions => {
            let sql = "SELECT region, count(DISTINCT unit_key) AS units, count(*) AS documents, \
                       min(year) AS first_year, max(year) AS last_year \
                       FROM units GROUP BY region ORDER BY region";
            run_sql(session, sql, settings, out).await?;
        }
        Command::Explain { analyze, sql } => {
            let sql = format!(
                "EXPLAIN {}{}",
                if *analyze { "ANALYZE " } else { "" },
                sql.trim_end_matches(';')
            );
            run_sql(session, &sql, settings, out).await?;
        }
    }
    Ok(Flow::Continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Command, String> {
        Command::parse(line).unwrap_or_else(|| Err("not a command".into()))
    }

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(p("\\timing"), Ok(Command::Timing(None)));
        assert_eq!(p("\\timing off"), Ok(Command::Timing(Some(false))));
        assert_eq!(p("\\x on;"), Ok(Command::Expanded(Some(true))));
        assert_eq!(p("\\o"), Ok(Command::Output(None)));
        assert_eq!(
            p("\\o out.csv"),
            Ok(Command::Output(Some("out.csv".into())))
        );
        assert_eq!(
            p("\\set region 上海市普陀区"),
            Ok(Command::Set(Some(("region".into(), "上海市普陀区".into()))))
        );
        assert!(p("\\set 1x y").is_err());
        assert_eq!(
            p("\\explain analyze SELECT 1;"),
            Ok(Command::Explain {
                analyze: true,
                sql: "SELECT 1".into()
            })
        );
        assert_eq!(p("\\units 审计"), Ok(Command::Units(Some("审计".into()))));
        assert_eq!(
            p("\\sv execution;"),
            Ok(Command::ShowView("execution".into()))
        );
        assert!(p("\\sv").is_err());
        assert!(p("\\timing maybe").is_err());
        assert!(p("\\nope").is_err());
        assert_eq!(Command::parse("SELECT 1"), None);
    }
}
