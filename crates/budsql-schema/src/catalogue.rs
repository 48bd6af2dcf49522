//! The subjects a name stands for: the catalogue of `datasets/subjects/` (function and
//! economic subjects with the names documents print for them), looked up by a row's name
//! under the subject above it.
//!
//! Some templates print their classified tables by name alone (杭州's 一般公共预算支出表:
//! `卫生健康支出`, ` 行政事业单位医疗`, `  行政单位医疗`). A name is placed only where the
//! catalogue gives it exactly one code under the given parent (or, for a 类, among the 类);
//! `行政运行`, printed under many 款, is placed only under a known 款.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{Classification, SubjectCode};

const FUNCTION: &str = include_str!("../../../datasets/subjects/function.csv");
const ECONOMIC: &str = include_str!("../../../datasets/subjects/economic.csv");

/// (classification, parent code or "" for a 类, name) → the codes of that name there.
type Index = HashMap<(Classification, String, String), Vec<String>>;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: Index = HashMap::new();
        for (classification, text) in [
            (Classification::Function, FUNCTION),
            (Classification::Economic, ECONOMIC),
        ] {
            for line in text.lines().skip(1) {
                let mut fields = fields(line);
                let (Some(code), Some(_level), Some(name)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let Some(code) = SubjectCode::parse(&code) else {
                    continue;
                };
                let parent = code
                    .parent()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                let codes = map
                    .entry((classification, parent, normalise(&name)))
                    .or_default();
                if !codes.iter().any(|c| c == code.as_str()) {
                    codes.push(code.as_str().to_string());
                }
            }
        }
        map
    })
}

/// The fields of one CSV line, a quoted field unquoted (`""` is a quote).
fn fields(line: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = line.chars().peekable();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut field = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => return Some(field),
                c => field.push(c),
            }
        }
        done = true;
        Some(field)
    })
}

/// A name as the catalogue compares it: no whitespace, brackets half-width.
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// The one code the catalogue gives `name` directly under `parent` (`None`: among the 类);
/// `None` where it gives none or more than one.
pub fn code_by_name(
    classification: Classification,
    parent: Option<&str>,
    name: &str,
) -> Option<SubjectCode> {
    let key = (
        classification,
        parent.unwrap_or("").to_string(),
        normalise(name),
    );
    match index().get(&key).map(Vec::as_slice) {
        Some([code]) => SubjectCode::parse(code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_under_their_parents() {
        let f = |p: Option<&str>, n: &str| {
            code_by_name(Classification::Function, p, n).map(|c| c.as_str().to_string())
        };
        assert_eq!(f(None, "卫生健康支出").as_deref(), Some("210"));
        assert_eq!(f(Some("210"), "行政事业单位医疗").as_deref(), Some("21011"));
        assert_eq!(f(Some("21011"), "行政单位医疗").as_deref(), Some("2101101"));
        // a 项 name printed under many 款: only under its own
        assert_eq!(f(None, "行政运行"), None);
        assert_eq!(f(Some("210"), "行政运行"), None);
        assert_eq!(f(Some("21001"), "行政运行").as_deref(), Some("2100101"));
        // full-width brackets and spaces compare alike
        assert_eq!(
            f(Some("210"), "行政事业 单位医疗").as_deref(),
            Some("21011")
        );
        let e = |p: Option<&str>, n: &str| {
            code_by_name(Classification::Economic, p, n).map(|c| c.as_str().to_string())
        };
        assert_eq!(e(None, "工资福利支出").as_deref(), Some("301"));
        assert_eq!(e(Some("301"), "基本工资").as_deref(), Some("30101"));
        assert_eq!(e(Some("302"), "基本工资"), None);
        assert_eq!(f(None, "no such subject"), None);
    }

    #[test]
    fn quoted_fields() {
        let v: Vec<String> = fields(r#"220,1,"a, ""b""",2024"#).collect();
        assert_eq!(v, ["220", "1", "a, \"b\"", "2024"]);
        let v: Vec<String> = fields("").collect();
        assert_eq!(v, [""]);
    }
}
