//! Amounts as documents print them, and as the views show them.

use crate::model::{Fen, WAN_CENT};

/// How a document prints its figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// 元 (else 万元).
    pub yuan: bool,
    /// `1,234.56`.
    pub thousands: bool,
    /// `1183. 74`: a space after the decimal point, as a bad PDF extraction prints it.
    pub split_decimal: bool,
}

/// The printed form of an amount.
pub fn amount(v: Fen, style: Style) -> String {
    let (units, frac) = if style.yuan {
        (v / 100, v % 100)
    } else {
        (v / 1_000_000, (v % 1_000_000) / WAN_CENT)
    };
    let sign = if v < 0 { "-" } else { "" };
    let (units, frac) = (units.abs(), frac.abs());
    let int = if style.thousands {
        group(units)
    } else {
        units.to_string()
    };
    let sep = if style.split_decimal { ". " } else { "." };
    format!("{sign}{int}{sep}{frac:02}")
}

fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in 万元 as budsql prints it: exact, trailing zeros dropped beyond two places.
pub fn wan(v: Fen) -> String {
    // 1 万元 = 1,000,000 分
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    let int = a / 1_000_000;
    let mut frac = format!("{:06}", a % 1_000_000);
    while frac.len() > 2 && frac.ends_with('0') {
        frac.pop();
    }
    format!("{sign}{int}.{frac}")
}

/// An amount in 万元 for a sentence of the narrative (two places).
pub fn wan2(v: Fen) -> String {
    let r = (v + WAN_CENT / 2) / WAN_CENT;
    format!("{}.{:02}", r / 100, r % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_forms() {
        let v = 930_831_245; // 9,308,312.45 元
        assert_eq!(
            amount(
                v,
                Style {
                    yuan: true,
                    thousands: true,
                    split_decimal: false
                }
            ),
            "9,308,312.45"
        );
        assert_eq!(wan(v), "930.831245");
        let w = 9_308_300 * 100; // 930.83 万元
        assert_eq!(amount(w, Style::default()), "930.83");
        assert_eq!(
            amount(
                w,
                Style {
                    split_decimal: true,
                    ..Style::default()
                }
            ),
            "930. 83"
        );
        assert_eq!(wan(w), "930.83");
        assert_eq!(wan(0), "0.00");
    }
}
