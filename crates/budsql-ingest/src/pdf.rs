//! PDFs: their text layer printed by poppler's `pdftotext -layout` (lines, the document's
//! id) and the boxes of its words printed by `pdftotext -bbox-layout` (where each cell
//! really stands), which the reader combines.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The program that prints a PDF's text (`BUDSQL_PDFTOTEXT` overrides the name or path).
pub fn pdftotext_program() -> PathBuf {
    std::env::var_os("BUDSQL_PDFTOTEXT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("pdftotext"))
}

/// Why a PDF's text could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "{path}: reading a PDF needs the program `{program}` (poppler-utils), which was not found; install it (`apt-get install poppler-utils`, `brew install poppler`) or ingest the text extracted from the PDF"
    )]
    MissingProgram { path: PathBuf, program: String },

    #[error("{path}: `{program}` could not be run: {source}")]
    Spawn {
        path: PathBuf,
        program: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: `{program} -layout` failed ({status}): {message}")]
    Failed {
        path: PathBuf,
        program: String,
        status: String,
        message: String,
    },
}

/// A PDF's text as `pdftotext -layout` prints it (UTF-8, a form feed after every page), and
/// the pages that have images but no text (scans without a text layer).
#[derive(Debug)]
pub struct PdfText {
    pub text: Vec<u8>,
    /// The `-bbox-layout` document (XHTML with a box per word); `None` when poppler could
    /// not print it, and the reader then places cells by character positions.
    pub boxes: Option<String>,
    pub image_only_pages: Vec<usize>,
    /// Pages without text whose images could not be listed (`pdfimages` missing).
    pub textless_pages: Vec<usize>,
}

/// Runs `pdftotext -layout -enc UTF-8 PATH -` and reads its output.
pub fn to_text(path: &Path) -> Result<PdfText, PdfError> {
    let program = pdftotext_program();
    let shown = program.display().to_string();
    let output = Command::new(&program)
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                PdfError::MissingProgram {
                    path: path.to_path_buf(),
                    program: shown.clone(),
                }
            } else {
                PdfError::Spawn {
                    path: path.to_path_buf(),
                    program: shown.clone(),
                    source,
                }
            }
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // poppler prints font warnings before the real error; the last line says why
        let message = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim()
            .to_string();
        return Err(PdfError::Failed {
            path: path.to_path_buf(),
            program: shown,
            status: output.status.to_string(),
            message,
        });
    }
    let text = output.stdout;
    let empty: Vec<usize> = String::from_utf8_lossy(&text)
        .split('\u{c}')
        .enumerate()
        .filter(|(_, p)| p.trim().is_empty())
        .map(|(i, _)| i + 1)
        .collect();
    // the text after the last page's form feed is not a page
    let pages = text.iter().filter(|b| **b == 0x0c).count();
    let empty: Vec<usize> = empty.into_iter().filter(|p| *p <= pages).collect();
    let (image_only_pages, textless_pages) = if empty.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        match pages_with_images(path, &program) {
            Some(with_images) => (
                empty
                    .into_iter()
                    .filter(|p| with_images.contains(p))
                    .collect(),
                Vec::new(),
            ),
            None => (Vec::new(), empty),
        }
    };
    let boxes = Command::new(&program)
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok());
    Ok(PdfText {
        text,
        boxes,
        image_only_pages,
        textless_pages,
    })
}

/// The pages holding images, from `pdfimages -list` (beside `pdftotext`); `None` when it
/// cannot be run.
fn pages_with_images(path: &Path, pdftotext: &Path) -> Option<Vec<usize>> {
    let program = pdftotext
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|d| d.join("pdfimages"))
        .unwrap_or_else(|| PathBuf::from("pdfimages"));
    let out = Command::new(program).arg("-list").arg(path).output().ok()?;
    if !out.status.success() {
        return None;
    }
    // `page num type …` header, a dashed line, then one line per image starting with its page
    let mut pages: Vec<usize> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    pages.dedup();
    Some(pages)
}
