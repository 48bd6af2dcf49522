//! The lower layer of budsql's parser: bytes to text, text to lines, lines to cells.
//!
//! Nothing here fails and nothing does I/O. Every function returns what it saw, with
//! positions (1-based line numbers, page numbers counted from form feeds), and leaves
//! decisions about meaning to `budsql-extract`.

mod bbox;
mod clean;
mod decode;
mod lines;

pub use bbox::{BoxPage, BoxWord, GeoCell, GeoLine, display_width, parse_bbox, place_lines};
pub use clean::{
    QUOTES, ScannedNumber, clean_text, compact_label, garbage_count, is_cjk, is_garbage_char,
    is_nil_mark, is_number, normalize_char, normalize_width, number_spans, parse_number,
    strip_ordinal, without_spaces,
};
pub use decode::{Decoded, Encoding, decode};
pub use lines::{Cell, Line, LineForm, PosCell, layout_cells, lines};
