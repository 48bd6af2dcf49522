//! A subject's key across the years its code was renamed or renumbered (`subject_key`).
//!
//! The rule (docs/views.md, "subjects"): `F` and the code for a function subject (类/款/项),
//! `E` and the code for a 部门预算 economic subject (30x), `G` and the code for a 政府预算
//! economic subject (50x). A renamed subject keeps its code and so its key
//! (207 文化体育与传媒支出 → 文化旅游体育与传媒支出 is `F207` in every year); a renumbered one takes
//! the key of the code it continues ([`RENUMBERED`], from `datasets/subjects/renames.csv`).

use crate::Classification;

/// Codes that continue a subject printed under another code: (code, key of the subject
/// it continues). From `datasets/subjects/renames.csv` (a test keeps them the same).
pub const RENUMBERED: &[(&str, &str)] = &[("2014004", "F2014004")];

/// The key of a subject printed with `code` in `classification`; `None` without a code.
pub fn subject_key(classification: Classification, code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some((_, key)) = RENUMBERED.iter().find(|(c, _)| *c == code) {
        return Some((*key).to_string());
    }
    let prefix = match classification {
        Classification::Function => 'F',
        Classification::Economic if code.starts_with('5') => 'G',
        Classification::Economic => 'E',
    };
    Some(format!("{prefix}{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let f = |c: &str| subject_key(Classification::Function, Some(c));
        let e = |c: &str| subject_key(Classification::Economic, Some(c));
        assert_eq!(f("207").as_deref(), Some("F207"));
        assert_eq!(f("2014004").as_deref(), Some("F2014004"));
        assert_eq!(e("30101").as_deref(), Some("E30101"));
        assert_eq!(e("50101").as_deref(), Some("G50101"));
        assert_eq!(subject_key(Classification::Function, None), None);
        assert_eq!(f("20l"), None);
    }

    /// Every rename or renumbering of the catalogue gives the key it states.
    #[test]
    fn the_catalogue_renames_agree() {
        let csv = include_str!("../../../datasets/subjects/renames.csv");
        let mut n = 0;
        for line in csv.lines().skip(1) {
            let cells: Vec<&str> = line.splitn(6, ',').collect();
            let (Some(code), Some(key)) = (cells.first(), cells.get(4)) else {
                continue;
            };
            assert_eq!(
                subject_key(Classification::Function, Some(code)).as_deref(),
                Some(*key),
                "{line}"
            );
            n += 1;
        }
        assert!(n >= 3);
    }
}
