//! The shell's line helper: a statement continues until `;`; Tab completes SQL keywords and
//! functions, views, the columns of the views the statement names, and — inside a string
//! literal — the store's own values (regions, unit and subject names, subject codes,
//! `table_name` and `doc_kind` values, read once per session in the background); the
//! statement being typed is highlighted.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use budsql_query::Session;
use budsql_store::Table;
use datafusion::prelude::SessionContext;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
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
    "OFFSET",
    "JOIN",
    "LEFT JOIN",
    "INNER JOIN",
    "FULL JOIN",
    "CROSS JOIN",
    "USING",
    "ON",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS",
    "IN",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "AS",
    "DISTINCT",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "WITH",
    "UNION",
    "UNION ALL",
    "EXCEPT",
    "INTERSECT",
    "DESC",
    "ASC",
    "NULLS FIRST",
    "NULLS LAST",
    "EXPLAIN",
    "ANALYZE",
    "OVER",
    "PARTITION BY",
    "FILTER",
    "CAST",
    "TRUE",
    "FALSE",
    "COPY",
    "TO",
];

const FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "median",
    "stddev",
    "var_samp",
    "corr",
    "approx_percentile_cont",
    "percentile_cont",
    "string_agg",
    "array_agg",
    "bool_and",
    "bool_or",
    "coalesce",
    "nullif",
    "round",
    "abs",
    "floor",
    "ceil",
    "lower",
    "upper",
    "length",
    "char_length",
    "substr",
    "strpos",
    "starts_with",
    "concat",
    "replace",
    "trim",
    "regexp_like",
    "regexp_replace",
    "regexp_match",
    "split_part",
    "to_char",
    "date_trunc",
    "date_part",
    "extract",
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
];

/// The store's values offered inside string literals, filled in the background.
#[derive(Default)]
struct Values {
    words: Vec<String>,
}

/// Completion words and values.
pub struct SqlHelper {
    /// Keywords, functions and view names.
    words: Vec<String>,
    /// Each view with its columns.
    views: Vec<(String, Vec<String>)>,
    values: Arc<RwLock<Values>>,
    /// Whether to colour the statement (a terminal that shows colours).
    color: bool,
}

/// The distinct values completion offers, by query (each limited, so that a huge store
/// costs a bounded time and memory).
const VALUE_QUERIES: &[&str] = &[
    "SELECT DISTINCT region FROM units WHERE region IS NOT NULL",
    "SELECT DISTINCT unit_name FROM units WHERE unit_name IS NOT NULL LIMIT 200000",
    "SELECT DISTINCT doc_kind FROM units",
    "SELECT DISTINCT table_name FROM budget_lines",
    "SELECT DISTINCT subject_code FROM budget_lines WHERE subject_code IS NOT NULL LIMIT 100000",
    "SELECT DISTINCT subject_name FROM budget_lines WHERE subject_code IS NOT NULL LIMIT 100000",
];

/// Reads the values completion offers (errors leave them out: completion is a convenience).
async fn load_values(ctx: SessionContext) -> Vec<String> {
    use datafusion::arrow::array::{Array, StringArray};
    let mut out: Vec<String> = Vec::new();
    for q in VALUE_QUERIES {
        let Ok(df) = ctx.sql(q).await else { continue };
        let Ok(batches) = df.collect().await else {
            continue;
        };
        for b in batches {
            if let Some(col) = b.columns().first()
                && let Some(s) = col.as_any().downcast_ref::<StringArray>()
            {
                out.extend(
                    (0..s.len())
                        .filter(|i| s.is_valid(*i))
                        .map(|i| s.value(i).to_string()),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

impl SqlHelper {
    /// A helper for `session`: the store's values are read by a background task.
    pub fn new(session: &Session) -> SqlHelper {
        let mut h = SqlHelper::offline();
        let values = Arc::clone(&h.values);
        let ctx = session.context().clone();
        tokio::spawn(async move {
            let words = load_values(ctx).await;
            if let Ok(mut v) = values.write() {
                v.words = words;
            }
        });
        h.color = std::env::var_os("NO_COLOR").is_none();
        h
    }

    /// A helper without store values (tests, and before they are read).
    pub fn offline() -> SqlHelper {
        let mut words: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        words.extend(FUNCTIONS.iter().map(|f| f.to_string()));
        let mut views: Vec<(String, Vec<String>)> = Table::ALL
            .iter()
            .map(|t| {
                (
                    t.name().to_string(),
                    budsql_store::spec::view_columns(*t)
                        .iter()
                        .map(|c| c.name.to_string())
                        .collect(),
                )
            })
            .collect();
        views.push((
            "documents".to_string(),
            vec!["path".to_string(), "status".to_string()],
        ));
        for (name, _) in Session::views() {
            if !views.iter().any(|(v, _)| v == name) {
                views.push((name.to_string(), Vec::new()));
            }
        }
        words.extend(views.iter().map(|(v, _)| v.clone()));
        words.sort();
        words.dedup();
        SqlHelper {
            words,
            views,
            values: Arc::default(),
            color: false,
        }
    }

    /// Sets the store's values directly (tests).
    #[cfg(test)]
    pub fn with_values(self, words: Vec<String>) -> SqlHelper {
        if let Ok(mut v) = self.values.write() {
            v.words = words;
        }
        self
    }

    /// The completions of the text before the cursor: (where the replaced text starts,
    /// candidates).
    pub fn candidates(&self, head: &str) -> (usize, Vec<String>) {
        if let Some(open) = open_literal(head) {
            let prefix = head.get(open..).unwrap_or("");
            let Ok(values) = self.values.read() else {
                return (open, Vec::new());
            };
            let mut found: Vec<String> = values
                .words
                .iter()
                .filter(|v| v.starts_with(prefix))
                .take(200)
                .cloned()
                .collect();
            // (then those that contain it: `审计` finds `苏州市审计局`)
            if found.len() < 200 && !prefix.is_empty() {
                found.extend(
                    values
                        .words
                        .iter()
                        .filter(|v| !v.starts_with(prefix) && v.contains(prefix))
                        .take(200 - found.len())
                        .cloned(),
                );
            }
            return (open, found);
        }
        let start = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|i| {
                i + head
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8)
            })
            .unwrap_or(0);
        let word = head.get(start..).unwrap_or("");
        if word.is_empty() {
            return (start, Vec::new());
        }
        let lower = word.to_lowercase();
        // the columns of the views the statement names come first
        let named: Vec<&(String, Vec<String>)> = self
            .views
            .iter()
            .filter(|(v, _)| names_view(head, v))
            .collect();
        let mut columns: Vec<String> = if named.is_empty() {
            self.views
                .iter()
                .flat_map(|(_, c)| c.iter().cloned())
                .collect()
        } else {
            named.iter().flat_map(|(_, c)| c.iter().cloned()).collect()
        };
        columns.sort();
        columns.dedup();
        let upper_word = word.chars().all(|c| !c.is_lowercase());
        let mut out: Vec<String> = columns
            .into_iter()
            .filter(|c| c.to_lowercase().starts_with(&lower))
            .collect();
        for w in &self.words {
            if !w.to_lowercase().starts_with(&lower) || out.contains(w) {
                continue;
            }
            let keyword = w.chars().all(|c| c.is_ascii_uppercase() || c == ' ');
            out.push(if keyword && !upper_word {
                w.to_lowercase()
            } else {
                w.clone()
            });
        }
        (start, out)
    }
}

/// Whether the statement names `view` after FROM or JOIN (or anywhere as a whole word).
fn names_view(sql: &str, view: &str) -> bool {
    sql.match_indices(view).any(|(i, _)| {
        let before = sql.get(..i).and_then(|s| s.chars().next_back());
        let after = sql.get(i + view.len()..).and_then(|s| s.chars().next());
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// Where an unclosed string literal's text starts in `head` (just after its quote).
fn open_literal(head: &str) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut comment = false;
    let mut prev = '\0';
    for (i, c) in head.char_indices() {
        if comment {
            if c == '\n' {
                comment = false;
            }
        } else if c == '\'' {
            open = match open {
                Some(_) => None,
                None => Some(i + 1),
            };
        } else if open.is_none() && c == '-' && prev == '-' {
            comment = true;
        }
        prev = c;
    }
    open
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
        let (start, found) = self.candidates(head);
        Ok((
            start,
            found
                .into_iter()
                .map(|t| Pair {
                    display: t.clone(),
                    replacement: t,
                })
                .collect(),
        ))
    }
}

impl Hinter for SqlHelper {
    type Hint = String;
}

/// The statement with ANSI colours: keywords bold blue, string literals green, numbers
/// yellow, comments grey.
pub fn highlight_sql(line: &str) -> String {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = String::with_capacity(line.len() + 16);
    let mut i = 0;
    let slice = |a: usize, b: usize| -> &str {
        let from = chars.get(a).map_or(line.len(), |c| c.0);
        let to = chars.get(b).map_or(line.len(), |c| c.0);
        line.get(from..to).unwrap_or("")
    };
    while let Some(&(_, c)) = chars.get(i) {
        if c == '\'' {
            let mut j = i + 1;
            while chars.get(j).is_some_and(|x| x.1 != '\'') {
                j += 1;
            }
            j = (j + 1).min(chars.len());
            out.push_str("\x1b[32m");
            out.push_str(slice(i, j));
            out.push_str("\x1b[0m");
            i = j;
        } else if c == '-' && chars.get(i + 1).is_some_and(|x| x.1 == '-') {
            let mut j = i;
            while chars.get(j).is_some_and(|x| x.1 != '\n') {
                j += 1;
            }
            out.push_str("\x1b[90m");
            out.push_str(slice(i, j));
            out.push_str("\x1b[0m");
            i = j;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|x| x.1.is_ascii_alphanumeric() || x.1 == '_')
            {
                j += 1;
            }
            let w = slice(i, j);
            let upper = w.to_ascii_uppercase();
            if KEYWORDS
                .iter()
                .any(|k| k.split(' ').any(|part| part == upper))
            {
                out.push_str("\x1b[1;34m");
                out.push_str(w);
                out.push_str("\x1b[0m");
            } else {
                out.push_str(w);
            }
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|x| x.1.is_ascii_digit() || x.1 == '.')
            {
                j += 1;
            }
            out.push_str("\x1b[33m");
            out.push_str(slice(i, j));
            out.push_str("\x1b[0m");
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

impl Highlighter for SqlHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.trim_start().starts_with('\\') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight_sql(line))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_the_views_named_come_first() {
        let h = SqlHelper::offline();
        let (start, c) = h.candidates("SELECT unit_n");
        assert_eq!(start, 7);
        assert!(c.contains(&"unit_name".to_string()), "{c:?}");
        let (_, c) = h.candidates("SELECT sub FROM budget_lines WHERE sub");
        assert_eq!(c.first().map(String::as_str), Some("subject_code"));
        // a keyword in the case it is typed in
        let (_, c) = h.candidates("sel");
        assert_eq!(c, vec!["select".to_string()]);
        let (_, c) = h.candidates("SELECT * FROM budget_l");
        assert_eq!(c, vec!["budget_lines".to_string()]);
    }

    #[test]
    fn values_inside_string_literals() {
        let h = SqlHelper::offline().with_values(vec![
            "上海市普陀区".into(),
            "苏州市审计局".into(),
            "expenditure".into(),
        ]);
        let head = "SELECT * FROM units WHERE unit_name = '苏州";
        let (start, c) = h.candidates(head);
        assert_eq!(head.get(start..), Some("苏州"));
        assert_eq!(c, vec!["苏州市审计局".to_string()]);
        // containing, not only starting with
        let (_, c) = h.candidates("WHERE unit_name LIKE '审计");
        assert_eq!(c, vec!["苏州市审计局".to_string()]);
        // a closed literal is no place for values
        let (_, c) = h.candidates("WHERE x = 'a' AND unit_n");
        assert!(c.contains(&"unit_name".to_string()));
    }

    #[test]
    fn highlighting_marks_keywords_literals_and_numbers() {
        let h = highlight_sql("SELECT '合计', 1 -- c");
        assert_eq!(
            h,
            "\x1b[1;34mSELECT\x1b[0m \x1b[32m'合计'\x1b[0m, \x1b[33m1\x1b[0m \x1b[90m-- c\x1b[0m"
        );
    }
}
