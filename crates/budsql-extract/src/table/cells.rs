//! What a cell reads as: a figure, an amount, a code leading its name, a total's or an
//! ordinal's label.

use super::*;

/// What a cell is, read in one scan: a figure (a number, or a dash printed in a figure's
/// place) and an amount (a figure that cannot be a code or a column number: with a decimal
/// point or a thousands separator, or a dash).
pub(super) fn figure_and_amount(text: &str) -> (bool, bool) {
    let t = text.trim();
    let nil = is_nil_mark(t);
    let number = !nil && is_number(t);
    (
        nil || number,
        nil || number && t.contains(['.', ',', '．', '，']),
    )
}

/// A figure that cannot be a code or a column number: it has a decimal point or a
/// thousands separator, or is a dash.
pub fn is_amount(text: &str) -> bool {
    let t = text.trim();
    is_nil_mark(t) || (t.contains(['.', ',', '．', '，']) && is_number(t))
}

pub(super) fn norm(s: &str) -> String {
    budsql_text::compact_label(s).replace(budsql_text::QUOTES, "")
}

/// Whether a stub text is a subject code, alone or leading its name: `201`, `2010801`,
/// `[2010801]行政运行`, `2010801-行政运行`, `201一般公共服务支出`, `30101 基本工资`.
pub fn leading_code(text: &str) -> Option<(&str, &str)> {
    // (digits and brackets are read as printed: the name keeps its own full-width forms;
    // nothing is allocated unless a code is found — most cells are names)
    let t = text.trim();
    let (inner, rest) = if let Some(r) = t.strip_prefix(['[', '【', '(', '［', '（']) {
        let end = r.find([']', '】', ')', '］', '）'])?;
        (r.get(..end)?.trim(), r.get(end + 1..)?)
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        (t.get(..digits)?, t.get(digits..)?)
    };
    if !matches!(inner.len(), 3 | 5 | 7) || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest
        .trim_start_matches(['-', '－', '—', ' ', ':', '：'])
        .trim();
    // a code is never followed by a decimal point or more digits
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    Some((inner, rest))
}

/// A line that numbers the columns (`栏次 1 2 3`, `** 1 2 3`, or only 1, 2, 3 …).
pub(super) fn is_column_numbers(line: &TLine) -> bool {
    // (cheaply first: every cell starts with a digit, `*` or a label's first character)
    let plausible = |t: &str| {
        t.trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "*栏行序甲乙丙".contains(c))
    };
    if !line.cells.iter().all(|c| plausible(&c.text)) {
        return false;
    }
    let mut ints: Vec<u32> = Vec::new();
    let mut labels = 0;
    for c in &line.cells {
        let t = norm(&c.text);
        if matches!(
            t.as_str(),
            "栏次" | "行次" | "**" | "*" | "序号" | "甲" | "乙" | "丙"
        ) {
            labels += 1;
            continue;
        }
        let mut ok = false;
        for part in c.text.split_whitespace() {
            match part.parse::<u32>() {
                Ok(n) if n < 100 => {
                    ints.push(n);
                    ok = true;
                }
                _ => return false,
            }
        }
        if !ok {
            return false;
        }
    }
    let _ = labels;
    ints.len() >= 2 && ints.windows(2).all(|w| matches!(w, [a, b] if *b == *a + 1))
}

/// A label in the stub that closes or opens a table's figures: `合计`, `总计`, `本年支出合计`.
pub fn is_total_label(text: &str) -> bool {
    // (cheaply first: every such label ends in 计)
    if !text.trim_end().ends_with('计') {
        return false;
    }
    let t = norm(text);
    let t = t.trim_start_matches(['一', '二', '三', '、', '（', '）', '(', ')']);
    matches!(
        t,
        "合计"
            | "总计"
            | "小计"
            | "支出合计"
            | "收入合计"
            | "本年支出合计"
            | "本年收入合计"
            | "支出总计"
            | "收入总计"
            | "人员经费合计"
            | "公用经费合计"
            | "基本支出合计"
    )
}

/// A label that starts an item: `一、`, `（一）`, `1.`, `1、`.
pub fn is_ordinal_label(text: &str) -> bool {
    let t = normalize_width(text.trim());
    t.strip_prefix('(')
        .map(|r| r.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']))
        .unwrap_or(false)
        || (t.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
            && t.chars().take(4).any(|c| c == '、'))
        || (t.starts_with(|c: char| c.is_ascii_digit())
            && t.chars().take(4).any(|c| matches!(c, '、' | '.'))
            && !t.chars().nth(1).is_some_and(|c| {
                c.is_ascii_digit()
                    && t.len() > 3
                    && t.contains('.')
                    && t.chars().filter(|c| c.is_ascii_digit()).count() > 3
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_every_printed_form() {
        let code = |s: &str| leading_code(s).map(|(c, n)| format!("{c}|{n}"));
        assert_eq!(code("201"), Some("201|".into()));
        assert_eq!(
            code("[2010999]其他海关事务支出"),
            Some("2010999|其他海关事务支出".into())
        );
        assert_eq!(code("2010801-行政运行"), Some("2010801|行政运行".into()));
        assert_eq!(code("310资本性支出"), Some("310|资本性支出".into()));
        assert_eq!(code("4,651.67"), None);
        assert_eq!(code("2026年"), None);
        assert_eq!(code("1234"), None);
        assert_eq!(code("201.5"), None);
    }

    #[test]
    fn amounts_figures_and_labels() {
        // an amount has a decimal point or separator, or is a dash; an integer is a figure
        // only (a code, a column number, a count)
        assert!(is_amount("1,234") && is_amount("0.00") && is_amount("-"));
        assert_eq!(figure_and_amount("201001"), (true, false));
        assert_eq!(figure_and_amount("1,234"), (true, true));
        assert_eq!(figure_and_amount("—"), (true, true));
        assert_eq!(figure_and_amount("合计"), (false, false));
        assert!(!is_amount("201001") && !is_amount("2026年"));
        assert!(is_total_label("合计") && is_total_label("合 计") && is_total_label("总计"));
        assert!(!is_total_label("合计数说明：本表"));
        assert!(is_ordinal_label("一、一般公共服务支出"));
        assert!(!is_ordinal_label("一般公共服务支出"));
    }
}
