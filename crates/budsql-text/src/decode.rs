//! Bytes to text: UTF-8 with or without BOM, GB18030 (a superset of GBK), CRLF.

use std::borrow::Cow;

/// The encoding a document was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Decoded text with line endings normalised to `\n`.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// Number of byte sequences that were not valid in the chosen encoding and were
    /// replaced by U+FFFD.
    pub replaced: usize,
}

/// Decodes a document. Valid UTF-8 (with or without BOM) is taken as UTF-8; otherwise the
/// bytes are decoded as GB18030 if that yields fewer invalid sequences, else as lossy UTF-8.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let (text, encoding, replaced) = match std::str::from_utf8(body) {
        Ok(s) => (
            Cow::Borrowed(s),
            if bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            },
            0,
        ),
        Err(_) => {
            // clean GB18030 is taken at once; otherwise the decoding with fewer bad sequences
            if let Some(gb) =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body)
            {
                return Decoded {
                    text: unix_lines(gb.into_owned()),
                    encoding: Encoding::Gb18030,
                    replaced: 0,
                };
            }
            let utf8 = String::from_utf8_lossy(body);
            let utf8_bad = count_replacements(&utf8);
            let (gb, _, _) = encoding_rs::GB18030.decode(body);
            let gb_bad = count_replacements(&gb);
            if gb_bad < utf8_bad {
                (Cow::Owned(gb.into_owned()), Encoding::Gb18030, gb_bad)
            } else {
                (
                    Cow::Owned(utf8.into_owned()),
                    if bom {
                        Encoding::Utf8Bom
                    } else {
                        Encoding::Utf8
                    },
                    utf8_bad,
                )
            }
        }
    };
    Decoded {
        text: unix_lines(text.into_owned()),
        encoding,
        replaced,
    }
}

/// `text` with CRLF and lone CR line ends as LF.
fn unix_lines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    // (one pass: CR LF and a lone CR each become one LF)
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('\r') {
        out.push_str(rest.get(..i).unwrap_or(""));
        out.push('\n');
        rest = rest.get(i + 1..).unwrap_or("");
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

fn count_replacements(s: &str) -> usize {
    s.chars().filter(|&c| c == '\u{FFFD}').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf() {
        let d = decode(b"\xEF\xBB\xBFa\r\nb\rc\n");
        assert_eq!(d.text, "a\nb\nc\n");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("单位预算收支总表\r\n合计\t1183. 74\r\n");
        let d = decode(&bytes);
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, "单位预算收支总表\n合计\t1183. 74\n");
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn binary_is_lossy_never_fails() {
        let d = decode(&[0xff, 0xfe, 0x00, 0x80, 0x81]);
        assert!(d.replaced > 0);
    }
}
