//! Classification subject codes: 类 (3 digits), 款 (5), 项 (7).

/// Which classification a table's subject codes belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    /// 支出功能分类科目: what the money is for.
    Function,
    /// 支出经济分类科目: what kind of spending.
    Economic,
}

impl Classification {
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Function => "function",
            Classification::Economic => "economic",
        }
    }
}

/// A subject code as printed: all ASCII digits, 3, 5 or 7 of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubjectCode(String);

impl SubjectCode {
    /// Reads a code; `None` unless it is 3, 5 or 7 ASCII digits.
    pub fn parse(s: &str) -> Option<SubjectCode> {
        let s = s.trim();
        let ok = matches!(s.len(), 3 | 5 | 7) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| SubjectCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7).
    pub fn level(&self) -> i32 {
        match self.0.len() {
            3 => 1,
            5 => 2,
            _ => 3,
        }
    }

    /// The code of the level above, `None` for a 类.
    pub fn parent(&self) -> Option<SubjectCode> {
        match self.0.len() {
            5 => self.0.get(..3).map(|s| SubjectCode(s.to_string())),
            7 => self.0.get(..5).map(|s| SubjectCode(s.to_string())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_parents() {
        let c = SubjectCode::parse("2013101").unwrap_or_else(|| SubjectCode(String::new()));
        assert_eq!(c.level(), 3);
        assert_eq!(c.parent().map(|p| p.0), Some("20131".to_string()));
        assert!(SubjectCode::parse("2013").is_none());
        assert!(SubjectCode::parse("20a").is_none());
    }
}
