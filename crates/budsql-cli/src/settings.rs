//! The shell's settings, changed by backslash commands: output format, expanded rows,
//! timing, the row limit, thousands separators, the NULL text, variables and the output
//! file (`\o`). Scripts and the interactive shell share them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::print::{self, Format};
use crate::xlsx::Workbook;

/// Where results go.
enum Output {
    /// The terminal (or standard output).
    Stdout,
    /// A file opened by `\o FILE` or `--out FILE`.
    File(PathBuf, std::fs::File),
    /// A workbook (`--format xlsx`), written to its file when it is closed.
    Workbook(PathBuf, Box<Workbook>),
}

pub struct Settings {
    pub format: Format,
    /// One line per column, a block per row (`\x`).
    pub expanded: bool,
    /// Print each statement's time (`\timing`).
    pub timing: bool,
    /// Rows printed of a result in the table forms; the footer says how many were not.
    pub max_rows: Option<usize>,
    /// Thousands separators in amounts (`\pset thousands on`).
    pub thousands: bool,
    /// How NULL prints in the table forms (`\pset null TEXT`).
    pub null: String,
    /// Send wide or long results through `$PAGER` (interactive only).
    pub pager: bool,
    /// `\set NAME VALUE`, substituted for `:NAME` in statements.
    pub vars: BTreeMap<String, String>,
    output: Output,
}

impl Settings {
    pub fn new(format: Format) -> Settings {
        Settings {
            format,
            expanded: false,
            timing: false,
            max_rows: None,
            thousands: false,
            null: "NULL".to_string(),
            pager: false,
            vars: BTreeMap::new(),
            output: Output::Stdout,
        }
    }

    /// The printing options these settings give.
    pub fn print_options(&self) -> print::Options {
        print::Options {
            format: self.format,
            expanded: self.expanded,
            thousands: self.thousands,
            null: self.null.clone(),
            max_rows: self.max_rows,
        }
    }

    /// Sends results to `path` (a workbook when the format is xlsx), or back to standard
    /// output; a workbook open before is written to its file first.
    pub fn set_output(&mut self, path: Option<&Path>) -> Result<(), CliError> {
        self.close_output()?;
        if let Some(p) = path {
            self.output = if self.format == Format::Xlsx {
                Output::Workbook(p.to_path_buf(), Box::default())
            } else {
                let f = std::fs::File::create(p).map_err(|source| CliError::Write {
                    path: p.to_path_buf(),
                    source,
                })?;
                Output::File(p.to_path_buf(), f)
            };
        }
        Ok(())
    }

    /// Ends the output: a workbook is written to its file, a file is flushed.
    pub fn close_output(&mut self) -> Result<(), CliError> {
        match std::mem::replace(&mut self.output, Output::Stdout) {
            Output::Stdout => {}
            Output::File(path, mut f) => f
                .flush()
                .map_err(|source| CliError::Write { path, source })?,
            Output::Workbook(path, wb) => wb.save(&path)?,
        }
        Ok(())
    }

    /// Whether results go to the terminal.
    pub fn to_stdout(&self) -> bool {
        matches!(self.output, Output::Stdout)
    }

    /// The open workbook, where results are sheets.
    pub fn workbook(&mut self) -> Option<&mut Workbook> {
        match &mut self.output {
            Output::Workbook(_, wb) => Some(wb),
            _ => None,
        }
    }

    /// Where printed results go: the `\o` file, else `out`.
    pub fn sink<'a>(&'a mut self, out: &'a mut dyn Write) -> &'a mut dyn Write {
        match &mut self.output {
            Output::File(_, f) => f,
            _ => out,
        }
    }

    /// `:NAME`, `:'NAME'` (a quoted literal) and `:"NAME"` (a quoted identifier) replaced
    /// by the variables' values, outside string literals, quoted identifiers and comments;
    /// `::` (a cast) is left alone.
    pub fn substitute(&self, sql: &str) -> Result<String, CliError> {
        substitute(sql, &self.vars)
    }
}

fn substitute(sql: &str, vars: &BTreeMap<String, String>) -> Result<String, CliError> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let name_at = |from: usize| -> (String, usize) {
        let mut j = from;
        let mut name = String::new();
        while let Some(&c) = chars.get(j) {
            if c.is_alphanumeric() || c == '_' {
                name.push(c);
                j += 1;
            } else {
                break;
            }
        }
        (name, j)
    };
    let value = |name: &str| -> Result<&String, CliError> {
        vars.get(name).ok_or_else(|| {
            CliError::Usage(format!(
                "unknown variable `:{name}` (`\\set {name} VALUE` defines it; `\\set` lists them)"
            ))
        })
    };
    while let Some(&c) = chars.get(i) {
        match c {
            // string literal, quoted identifier: copied as they are
            '\'' | '"' => {
                out.push(c);
                i += 1;
                while let Some(&d) = chars.get(i) {
                    out.push(d);
                    i += 1;
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while let Some(&d) = chars.get(i) {
                    out.push(d);
                    i += 1;
                    if d == '\n' {
                        break;
                    }
                }
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push_str("::");
                i += 2;
            }
            ':' => {
                let quote = chars
                    .get(i + 1)
                    .copied()
                    .filter(|q| *q == '\'' || *q == '"');
                let start = i + 1 + usize::from(quote.is_some());
                let (name, end) = name_at(start);
                let closed = quote.is_none_or(|q| chars.get(end) == Some(&q));
                if name.is_empty()
                    || !closed
                    || !name
                        .chars()
                        .next()
                        .is_some_and(|f| f.is_alphabetic() || f == '_')
                {
                    out.push(':');
                    i += 1;
                    continue;
                }
                let v = value(&name)?;
                match quote {
                    Some('\'') => {
                        out.push('\'');
                        out.push_str(&v.replace('\'', "''"));
                        out.push('\'');
                    }
                    Some(_) => {
                        out.push('"');
                        out.push_str(&v.replace('"', "\"\""));
                        out.push('"');
                    }
                    None => out.push_str(v),
                }
                i = end + usize::from(quote.is_some());
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_substituted_outside_literals() {
        let mut vars = BTreeMap::new();
        vars.insert("y".to_string(), "2023".to_string());
        vars.insert("u".to_string(), "O'Brien局".to_string());
        let s = |q: &str| substitute(q, &vars).unwrap_or_else(|e| e.to_string());
        assert_eq!(
            s("SELECT * FROM units WHERE year = :y"),
            "SELECT * FROM units WHERE year = 2023"
        );
        assert_eq!(
            s("WHERE unit_name = :'u'"),
            "WHERE unit_name = 'O''Brien局'"
        );
        assert_eq!(s("SELECT :\"u\""), "SELECT \"O'Brien局\"");
        // a cast, a literal and a comment are left alone
        assert_eq!(
            s("SELECT x::int, ':y' -- :y\n"),
            "SELECT x::int, ':y' -- :y\n"
        );
        assert!(s("SELECT :nope").contains("unknown variable `:nope`"));
    }
}
