//! Character-level clean-up: full-width forms, spaces that wrapping put between CJK
//! characters, printed ordinals, and numbers as printed (`1183. 74`, `86,959,408.34`).

/// Whether `c` is a CJK ideograph, CJK punctuation or a full-width form: characters
/// between which a space is never meaningful in these documents.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana (seen in OCR junk)
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // half- and full-width forms
        | 0x20000..=0x2FA1F  // extensions B..F, compatibility supplement
    ) || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Maps full-width ASCII forms (`１２３．４５`, `（`, `：`) to ASCII and the ideographic
/// space to a space. Used for matching and numbers, not for stored names.
pub fn normalize_width(s: &str) -> std::borrow::Cow<'_, str> {
    // U+FF01..=U+FF5E are encoded EF BC 81 ..= EF BD 9E and the ideographic space E3 80 80;
    // most lines have neither, and are borrowed as they are
    if !needs_width_normalizing(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    // (the text between full-width forms is copied as it is, not char by char: both lead
    // bytes start a character)
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.bytes().position(|b| b == 0xEF || b == 0xE3) {
        let (Some(head), Some(tail)) = (rest.get(..p), rest.get(p..)) else {
            break;
        };
        out.push_str(head);
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            out.push(normalize_char(c));
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `s` without whitespace: how a label is compared (wrapping and letter-spacing put spaces
/// inside words: `合    计`). Copies the runs between spaces, not char by char.
pub fn without_spaces(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // (on bytes: ASCII whitespace, and the few characters of Unicode's White_Space beyond
    // it, which start with C2, E1, E2 or E3 — no continuation byte is one of those)
    let mut kept = 0;
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        let space = match x {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => s
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
            _ => 0,
        };
        if space == 0 {
            i += 1;
            continue;
        }
        out.push_str(s.get(kept..i).unwrap_or(""));
        i += space;
        kept = i;
    }
    out.push_str(s.get(kept..).unwrap_or(""));
    out
}

/// Quotation marks a label may be printed in (`“三公”经费`): not part of its words.
pub const QUOTES: [char; 6] = ['"', '“', '”', '\'', '‘', '’'];

/// `s` width-normalised ([`normalize_width`]) and [`without_spaces`].
pub fn compact_label(s: &str) -> String {
    without_spaces(&normalize_width(s))
}

/// One character as [`normalize_width`] maps it.
pub fn normalize_char(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Whether [`normalize_width`] would change `s` (one pass over its bytes).
fn needs_width_normalizing(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(p) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&x| x == 0xEF || x == 0xE3))
    {
        let at = i + p;
        match b.get(at) {
            Some(0xEF) => return true,
            _ => {
                if b.get(at + 1..at + 3) == Some(&[0x80, 0x80]) {
                    return true;
                }
            }
        }
        i = at + 1;
    }
    false
}

/// Removes whitespace that wrapping put inside a cell: a run of whitespace next to a CJK
/// character goes; any other run becomes one space. Leading and trailing space goes too.
pub fn clean_text(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            let prev = start.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i).copied();
            let joins_cjk = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
            let enumerator = starts_enumerator(chars.get(i..).unwrap_or(&[]));
            if (!joins_cjk || enumerator) && prev.is_some() && next.is_some() {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether text starts with a list enumerator such as `2. ` or `2、` (kept apart from
/// the sentence before it), as opposed to a number such as `2.5` or `2 次`.
fn starts_enumerator(rest: &[char]) -> bool {
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return false;
    }
    matches!(rest.get(digits), Some('.' | '、' | '．'))
        && !rest.get(digits + 1).is_some_and(|c| c.is_ascii_digit())
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

/// Drops a printed ordinal from the start of a label: `一、`, `十一、`, `(一)`, `（二）`,
/// `1.`, `1、`, `2．`. Returns the label unchanged when it has none.
pub fn strip_ordinal(s: &str) -> &str {
    let t = s.trim();
    // (一) / （一） / (1)
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(end) = rest.find(close)
        {
            let inner = &rest[..end];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| CN_DIGITS.contains(c) || c.is_ascii_digit())
            {
                return rest[end + close.len_utf8()..].trim_start();
            }
        }
    }
    let body_end = t
        .char_indices()
        .find(|(_, c)| !(CN_DIGITS.contains(*c) || c.is_ascii_digit() || *c == ' '))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if body_end == 0 {
        return t;
    }
    let rest = &t[body_end..];
    for sep in ['、', '.', '．', ',', '，'] {
        if let Some(after) = rest.strip_prefix(sep) {
            // `1.5` is a number, not an ordinal.
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                return t;
            }
            return after.trim_start();
        }
    }
    t
}

/// A number as printed, normalised: optional `-`, digits, optional `.` and digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedNumber {
    /// Byte offset of the number's first character in the scanned text.
    pub start: usize,
    /// Byte offset just past the number.
    pub end: usize,
    /// The normalised number, e.g. `-1183.74`.
    pub text: String,
}

/// Reads a whole cell as a number: full-width digits, spaces around the decimal point or
/// between thousands groups (`1183. 74`, `1, 234.00`), thousands separators, a leading
/// minus sign (`-`, `－`, `−`) or accounting parentheses. Returns the normalised number
/// (`1183.74`), or `None` when the cell is not certainly one number (`12 34`, `1.2.3`).
pub fn parse_number(cell: &str) -> Option<String> {
    let mut out = String::new();
    scan_number(cell, Some(&mut out)).then_some(out)
}

/// Whether [`parse_number`] reads `cell` as a number, without building it.
pub fn is_number(cell: &str) -> bool {
    scan_number(cell, None)
}

fn scan_number(cell: &str, mut out: Option<&mut String>) -> bool {
    // most cells are names: a number starts with a digit, a sign, a bracket or a point
    // (full-width forms included), so anything else is not one, without further work
    let Some(first) = cell.trim_start().chars().next() else {
        return false;
    };
    let could_start = first.is_ascii_digit()
        || matches!(first, '-' | '(' | '.' | '−' | '－' | '（' | '．')
        || ('０'..='９').contains(&first);
    if !could_start {
        return false;
    }
    let s = normalize_width(cell);
    let mut s = s.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('−'))
        .or_else(|| s.strip_prefix('－'))
    {
        if negative {
            return false;
        }
        negative = true;
        s = rest.trim_start();
    }
    if !s.is_ascii() {
        return false;
    }
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    // digits, one optional point, thousands commas; a space only next to a separator
    // (where PDF extraction splits runs: `1183. 74`, `1, 234.00`)
    if let Some(o) = out.as_deref_mut() {
        o.reserve(bytes.len() + 1);
        if negative {
            o.push('-');
        }
    }
    let mut int_digits = 0usize;
    let mut frac_digits = 0usize;
    let mut seen_point = false;
    // thousands groups: the first of 1-3 digits, every later one of 3
    let mut first_group: Option<usize> = None;
    let mut later_groups_ok = true;
    let mut group = 0usize;
    let mut comma = false;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b' ' => {
                let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
                let next = bytes.get(i + 1).copied();
                let near = matches!(prev, Some(b'.' | b',' | b' '))
                    || matches!(next, Some(b'.' | b',' | b' '));
                if !near {
                    return false;
                }
            }
            b'0'..=b'9' => {
                if let Some(o) = out.as_deref_mut() {
                    o.push(c as char);
                }
                if seen_point {
                    frac_digits += 1;
                } else {
                    int_digits += 1;
                    group += 1;
                }
            }
            b'.' => {
                if seen_point {
                    return false;
                }
                seen_point = true;
                if let Some(o) = out.as_deref_mut() {
                    o.push('.');
                }
            }
            b',' => {
                if seen_point {
                    return false;
                }
                comma = true;
                match first_group {
                    None => first_group = Some(group),
                    Some(_) => later_groups_ok &= group == 3,
                }
                group = 0;
            }
            _ => return false,
        }
    }
    if comma {
        let first_ok = first_group.is_some_and(|g| (1..=3).contains(&g));
        if !first_ok || !later_groups_ok || group != 3 {
            return false;
        }
    }
    !(int_digits == 0 || (seen_point && frac_digits == 0))
}

/// Finds the numbers in running text (narrative sentences), normalising full-width digits.
/// A space or a thousands separator inside a number is accepted (`1220. 18`, `1,234.5`).
pub fn number_spans(text: &str) -> Vec<ScannedNumber> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        if !digit(c) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut raw = String::new();
        let mut seen_dot = false;
        while let Some(&(_, c)) = chars.get(j) {
            if digit(c) {
                raw.push(c);
                j += 1;
            } else if matches!(c, '.' | '．') && !seen_dot {
                // a dot followed (possibly after one space) by a digit
                let k = if chars.get(j + 1).is_some_and(|&(_, n)| n == ' ') {
                    j + 2
                } else {
                    j + 1
                };
                if chars.get(k).is_some_and(|&(_, n)| digit(n)) {
                    seen_dot = true;
                    raw.push('.');
                    j = k;
                } else {
                    break;
                }
            } else if c == ',' && !seen_dot {
                let group: Vec<char> = (j + 1..j + 4)
                    .filter_map(|k| chars.get(k).map(|&(_, c)| c))
                    .collect();
                let after = chars.get(j + 4).map(|&(_, c)| c);
                if group.len() == 3 && group.iter().all(|&c| digit(c)) && !after.is_some_and(digit)
                {
                    j += 1;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let end = chars.get(j).map(|&(b, _)| b).unwrap_or(text.len());
        let neg = i
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|&(_, c)| matches!(c, '-' | '－' | '−'));
        let mut norm = normalize_width(&raw).into_owned();
        if neg {
            norm.insert(0, '-');
        }
        out.push(ScannedNumber {
            start,
            end,
            text: norm,
        });
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(parse_number("1183. 74").as_deref(), Some("1183.74"));
        assert_eq!(parse_number("0.50").as_deref(), Some("0.50"));
        assert_eq!(
            parse_number("86,959,408.34").as_deref(),
            Some("86959408.34")
        );
        assert_eq!(parse_number("１２．５").as_deref(), Some("12.5"));
        assert_eq!(parse_number("-3.00").as_deref(), Some("-3.00"));
        assert_eq!(parse_number("(3.00)").as_deref(), Some("-3.00"));
        assert_eq!(parse_number("12 34"), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("12,34"), None);
        assert_eq!(parse_number("合计"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("-"), None);
    }

    #[test]
    fn cjk_spaces_are_removed() {
        assert_eq!(
            clean_text("党委办公厅(室)及相关 机构事务"),
            "党委办公厅(室)及相关机构事务"
        );
        assert_eq!(clean_text("其他因公出国 (境) 费"), "其他因公出国(境)费");
        assert_eq!(clean_text("  a   b "), "a b");
        assert_eq!(
            clean_text("综治网格员专用手机 APP 经费"),
            "综治网格员专用手机APP经费"
        );
    }

    #[test]
    fn ordinals() {
        assert_eq!(
            strip_ordinal("一、一般公共预算拨款收入"),
            "一般公共预算拨款收入"
        );
        assert_eq!(
            strip_ordinal("二十一、粮油物资储备支出"),
            "粮油物资储备支出"
        );
        assert_eq!(strip_ordinal("（一）财政拨款收入"), "财政拨款收入");
        assert_eq!(strip_ordinal("3. 机关运行经费"), "机关运行经费");
        assert_eq!(strip_ordinal("本年收入合计"), "本年收入合计");
        assert_eq!(strip_ordinal("1.5万元"), "1.5万元");
    }

    #[test]
    fn numbers_in_sentences() {
        let t = "支出为 1220. 18 万元, 其中: 基本支出 985. 67 万元";
        let n: Vec<String> = number_spans(t).into_iter().map(|n| n.text).collect();
        assert_eq!(n, vec!["1220.18", "985.67"]);
        let n: Vec<String> = number_spans("共1,234.5元和2023年")
            .into_iter()
            .map(|n| n.text)
            .collect();
        assert_eq!(n, vec!["1234.5", "2023"]);
    }
}

/// Whether `c` is a character a broken PDF text layer leaves: a private-use code point
/// (fonts without a Unicode map), the replacement character, or a control character other
/// than tab, line feed, carriage return and form feed.
pub fn is_garbage_char(c: char) -> bool {
    matches!(c as u32,
        0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFD
    ) || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// How many characters of `s` are garbage ([`is_garbage_char`]) and not whitespace, counted
/// on its bytes without decoding it (every line of a document is asked). Every byte that
/// can start a garbage character is a lead byte (no continuation byte is one), so each byte
/// is looked up on its own and only those few look at the bytes after them.
pub fn garbage_count(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &x) in b.iter().enumerate() {
        if !MAY_START_GARBAGE
            .get(usize::from(x))
            .copied()
            .unwrap_or(false)
        {
            continue;
        }
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        let garbage = match x {
            // C1 controls (U+0080..=U+009F), but U+0085, whitespace
            0xC2 => matches!(next(1), 0x80..=0x9F) && next(1) != 0x85,
            // private use U+F000..=U+F8FF, and U+FFFD
            0xEF => matches!(next(1), 0x80..=0xA3) || (next(1) == 0xBF && next(2) == 0xBD),
            // supplementary private use U+F0000..=U+FFFFF
            0xF3 => matches!(next(1), 0xB0..=0xBF),
            // C0 controls but tab, line feed, vertical tab, form feed and carriage return
            // (whitespace), DEL, private use U+E000..=U+EFFF (0xEE) and supplementary
            // private use U+100000..=U+10FFFF (0xF4)
            _ => true,
        };
        n += usize::from(garbage);
    }
    n
}

/// The bytes [`garbage_count`] looks at: those that start a garbage character, or may.
#[allow(clippy::indexing_slicing)] // (x < 256, checked at compile time)
const MAY_START_GARBAGE: [bool; 256] = {
    let mut t = [false; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = matches!(x, 0x00..=0x08 | 0x0E..=0x1F | 0x7F | 0xC2 | 0xEE | 0xEF | 0xF3 | 0xF4);
        x += 1;
    }
    t
};

/// A cell that prints a dash instead of a figure (`-`, `—`, `－`, `–`, `——`): the
/// document's way of saying "nothing here", read like a blank cell.
pub fn is_nil_mark(cell: &str) -> bool {
    let t = cell.trim();
    // (the character test first: it stops at the first letter of a name)
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '—' | '－' | '–' | '−' | '―' | '─'))
        && t.chars().count() <= 3
}

#[cfg(test)]
mod width_tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn width_normalising_borrows_what_it_does_not_change() {
        // 。 and 、 share the ideographic space's first two bytes (E3 80) and stay as they are
        for s in ["合计。", "一、二", "plain", ""] {
            assert!(matches!(normalize_width(s), Cow::Borrowed(_)), "{s}");
        }
        assert_eq!(normalize_width("（１２．５）"), "(12.5)");
        assert_eq!(normalize_width("单位\u{3000}名称：甲"), "单位 名称:甲");
        assert_eq!(normalize_width("末尾\u{3000}"), "末尾 ");
        // the same as mapping each character, whatever stands between the full-width forms
        for s in [
            "（一）财政拨款收入：１２３，４５６．７８元",
            "\u{3000}\u{3000}一、机关工资福利支出（类）",
            "abc\u{3001}\u{30fc}\u{ff5f}\u{ff01}end",
            "ｚ",
            "\u{e000}（",
        ] {
            let by_char: String = s.chars().map(normalize_char).collect();
            assert_eq!(normalize_width(s), by_char, "{s}");
        }
    }
}

#[cfg(test)]
mod garbage_tests {
    use super::*;

    /// The byte count agrees with the characters' definition on every kind of character.
    #[test]
    fn garbage_is_counted_on_bytes_as_on_characters() {
        let by_chars = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace() && is_garbage_char(*c))
                .count()
        };
        let mut samples: Vec<String> = vec![
            "合计，（一）１２．５".into(),
            "a\u{0}b\u{7}\t\n\u{b}\u{c}\r\u{1f}\u{7f}".into(),
            "\u{80}\u{85}\u{9f}\u{a0}\u{b7}°".into(),
            "\u{e000}\u{efff}\u{f000}\u{f8ff}\u{f900}\u{fffd}\u{fffc}\u{ff0c}".into(),
            "\u{f0000}\u{fffff}\u{100000}\u{10ffff}\u{1f600}\u{20000}".into(),
        ];
        // every code point of the ranges near the edges
        for (a, b) in [
            (0u32, 0x100),
            (0xD7F0, 0xD800),
            (0xE000, 0xE010),
            (0xEFF0, 0xF010),
            (0xF8F0, 0xF910),
            (0xFFF0, 0x10000),
            (0xEFFF0, 0xF0010),
            (0xFFFF0, 0x100010),
            (0x10FFF0, 0x110000),
        ] {
            samples.push((a..b).filter_map(char::from_u32).collect());
        }
        for s in &samples {
            assert_eq!(garbage_count(s), by_chars(s), "{s:?}");
        }
    }
}

#[cfg(test)]
mod nil_tests {
    use super::*;

    #[test]
    fn without_spaces_drops_every_white_space_character() {
        let mut every: String = (0u32..0x3100).filter_map(char::from_u32).collect();
        every.push_str(" 合 \u{3000}计\u{a0}\u{2028}x\u{85}");
        let by_chars: String = every.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(without_spaces(&every), by_chars);
        assert_eq!(without_spaces("合    计"), "合计");
        assert_eq!(compact_label("（一） 合　计"), "(一)合计");
    }

    #[test]
    fn dashes_are_nil_marks() {
        for s in ["-", " — ", "－", "——", "–"] {
            assert!(is_nil_mark(s), "{s}");
        }
        for s in ["", "-1", "0.00", "----", "a-"] {
            assert!(!is_nil_mark(s), "{s}");
        }
    }

    #[test]
    fn garbage_chars() {
        assert!(is_garbage_char('\u{E123}'));
        assert!(is_garbage_char('\u{FFFD}'));
        assert!(is_garbage_char('\u{1}'));
        assert!(!is_garbage_char('\t'));
        assert!(!is_garbage_char('合'));
        assert!(!is_garbage_char('1'));
    }

    #[test]
    fn negative_and_full_width_numbers() {
        assert_eq!(parse_number("-1,234.50").as_deref(), Some("-1234.50"));
        assert_eq!(parse_number("－12.5").as_deref(), Some("-12.5"));
        assert_eq!(parse_number("(3.00)").as_deref(), Some("-3.00"));
        assert_eq!(parse_number("１２３．４５").as_deref(), Some("123.45"));
        assert_eq!(parse_number("—"), None);
    }
}
