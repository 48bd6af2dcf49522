//! The manifest entries of an ingest's documents, kept in an unnamed temporary file until
//! the commit writes them into the manifest.
//!
//! An ingest held each new document's entry (source path, unit name and keys, fingerprint:
//! about 0.5 KB in memory) from the moment it was added to the commit, so its memory grew
//! with the batch. Here an entry is written out as JSON when its document is added; memory
//! keeps only its id and where the entry is (about 60 bytes a document). The commit reads
//! the entries back one at a time, in id order, as it writes the manifest.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{IoContext, StoreError};
use crate::manifest::{DocEntry, DocId};

/// Where one entry is in the file.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u64,
    len: u32,
}

/// The entries of an ingest being added (see the [module](self)).
pub(crate) struct Spill {
    out: BufWriter<File>,
    /// Named in errors (the file itself has no name).
    dir: PathBuf,
    at: u64,
    index: BTreeMap<DocId, Slot>,
    buf: Vec<u8>,
}

impl Spill {
    /// A new spill in `dir` (the store's `_budsql` folder, or its staging folder's for a
    /// store in object storage); the file goes when it is closed, also when the process
    /// is killed.
    pub(crate) fn new(dir: &Path) -> Result<Spill, StoreError> {
        let file = tempfile::tempfile_in(dir).at(spill_label(dir))?;
        Ok(Spill {
            out: BufWriter::with_capacity(1 << 16, file),
            dir: dir.to_path_buf(),
            at: 0,
            index: BTreeMap::new(),
            buf: Vec::new(),
        })
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Writes `entry` out under `id` (an id already spilled keeps its first entry).
    pub(crate) fn push(&mut self, id: DocId, entry: &DocEntry) -> Result<(), StoreError> {
        if self.index.contains_key(&id) {
            return Ok(());
        }
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, entry).map_err(|source| StoreError::Manifest {
            path: spill_label(&self.dir),
            source,
        })?;
        self.buf.push(b'\n');
        let len = u32::try_from(self.buf.len()).map_err(|_| StoreError::TooManyDocuments)?;
        self.out.write_all(&self.buf).at(spill_label(&self.dir))?;
        self.index.insert(id, Slot { at: self.at, len });
        self.at += u64::from(len);
        Ok(())
    }

    /// The entries written, to be read back.
    pub(crate) fn finish(self) -> Result<Spilled, StoreError> {
        let label = spill_label(&self.dir);
        let file = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .at(&label)?;
        Ok(Spilled {
            file,
            label,
            index: self.index,
        })
    }
}

/// The entries of an ingest, written (see [`Spill::finish`]).
pub(crate) struct Spilled {
    file: File,
    label: PathBuf,
    index: BTreeMap<DocId, Slot>,
}

impl Spilled {
    pub(crate) fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Each entry with its id, in id order.
    pub(crate) fn entries(
        &self,
    ) -> impl Iterator<Item = Result<(&DocId, DocEntry), StoreError>> + '_ {
        let mut buf = Vec::new();
        self.index
            .iter()
            .map(move |(id, slot)| Ok((id, self.read(*slot, &mut buf)?)))
    }

    fn read(&self, slot: Slot, buf: &mut Vec<u8>) -> Result<DocEntry, StoreError> {
        buf.resize(slot.len as usize, 0);
        let mut f = &self.file;
        f.seek(SeekFrom::Start(slot.at)).at(&self.label)?;
        f.read_exact(buf).at(&self.label)?;
        serde_json::from_slice(buf).map_err(|source| StoreError::Manifest {
            path: self.label.clone(),
            source,
        })
    }
}

/// How errors name the spill (its file has no name of its own).
fn spill_label(dir: &Path) -> PathBuf {
    dir.join("(the ingest's temporary file of document entries)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, version: u64) -> DocEntry {
        DocEntry {
            source_path: path.to_string(),
            year: 2024,
            doc_kind: "budget".to_string(),
            unit_name: Some("上海市某局".to_string()),
            rows: 12,
            version,
            unit_key: Some("k".to_string()),
            name_key: None,
            source_hash: Some("0123456789abcdef".to_string()),
        }
    }

    #[test]
    fn entries_come_back_in_id_order_and_the_first_of_an_id_wins() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().at("tempdir")?;
        let mut s = Spill::new(dir.path())?;
        s.push(DocId::from("b"), &entry("/b.txt", 1))?;
        s.push(DocId::from("a"), &entry("/a.txt", 1))?;
        s.push(DocId::from("b"), &entry("/other.txt", 1))?;
        assert!(s.contains("a") && s.contains("b") && !s.contains("c"));
        let spilled = s.finish()?;
        let got: Vec<(String, DocEntry)> = spilled
            .entries()
            .map(|r| r.map(|(id, e)| (id.to_string(), e)))
            .collect::<Result<_, _>>()?;
        assert_eq!(
            got,
            vec![
                ("a".to_string(), entry("/a.txt", 1)),
                ("b".to_string(), entry("/b.txt", 1)),
            ]
        );
        // nothing is left in the folder
        assert_eq!(std::fs::read_dir(dir.path()).at("dir")?.count(), 0);
        Ok(())
    }
}
