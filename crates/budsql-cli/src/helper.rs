//! The REPL's line helper: a statement continues until `;`, and Tab completes keywords,
//! view names and column names.

use std::borrow::Cow;

use budsql_store::Table;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "HAVING",
    "LIMIT",
    "JOIN",
    "LEFT JOIN",
    "ON",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS",
    "AS",
    "DISTINCT",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "WITH",
    "UNION",
    "DESC",
    "ASC",
    "EXPLAIN",
    "OVER",
    "PARTITION BY",
    "COALESCE",
    "ROUND",
];

/// Completion words: keywords, views and columns.
pub struct SqlHelper {
    words: Vec<String>,
}

impl SqlHelper {
    pub fn new() -> SqlHelper {
        let mut words: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        for t in Table::ALL {
            words.push(t.name().to_string());
            words.extend(
                budsql_store::spec::view_columns(t)
                    .iter()
                    .map(|c| c.name.to_string()),
            );
        }
        words.extend(["documents", "path"].map(String::from));
        words.sort();
        words.dedup();
        SqlHelper { words }
    }
}

/// Whether a buffer is a complete input: a backslash command, or SQL ending with `;`.
pub fn is_complete(buffer: &str) -> bool {
    let t = buffer.trim();
    t.is_empty() || t.starts_with('\\') || t.ends_with(';')
}

impl Completer for SqlHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = line.get(..pos).unwrap_or(line);
        let start = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let word = head.get(start..).unwrap_or("");
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let lower = word.to_lowercase();
        let matches = self
            .words
            .iter()
            .filter(|w| w.to_lowercase().starts_with(&lower))
            .map(|w| {
                let keyword = w.chars().all(|c| c.is_ascii_uppercase() || c == ' ');
                let text = if keyword && word.chars().all(|c| c.is_lowercase()) {
                    w.to_lowercase()
                } else {
                    w.clone()
                };
                Pair {
                    display: text.clone(),
                    replacement: text,
                }
            })
            .collect();
        Ok((start, matches))
    }
}

impl Hinter for SqlHelper {
    type Hint = String;
}

impl Highlighter for SqlHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for SqlHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for SqlHelper {}
