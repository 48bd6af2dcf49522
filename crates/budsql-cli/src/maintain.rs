//! `budsql verify`, `budsql vacuum` and `budsql compact`.

use std::io::Write;
use std::path::Path;

use budsql_store::Store;

use crate::error::CliError;

/// Checks the store and reports; an error (exit 1) when committed data is damaged.
pub fn verify(root: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let store = Store::open_existing(root)?;
    if !store.exists()? {
        return Err(no_store(&store));
    }
    let v = store.verify()?;
    for p in &v.problems {
        writeln!(out, "{p}")?;
    }
    let orphans = v.problems.len()
        - v.problems
            .iter()
            .filter(|p| !matches!(p, budsql_store::Problem::Orphan { .. }))
            .count();
    if v.damaged() {
        return Err(CliError::Damaged {
            problems: v.problems.len() - orphans,
        });
    }
    writeln!(
        out,
        "store {} is intact: commit {}, {} document(s), {} file(s), {} row(s){}",
        store.location(),
        v.version,
        v.documents,
        v.files,
        v.rows,
        if orphans > 0 {
            format!("; {orphans} unreferenced file(s) (`budsql vacuum` removes them)")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

/// The store at `root` with the writer's lock held (waiting for a running ingest).
fn locked(root: &Path) -> Result<(Store, budsql_store::StoreLock), CliError> {
    let store = Store::open_existing(root)?;
    if !store.exists()? {
        return Err(no_store(&store));
    }
    let store = if store.is_remote() {
        store
    } else {
        Store::open(root)?
    };
    let lock = store.lock(true, || {
        let _ = writeln!(
            std::io::stderr(),
            "budsql: the store {} is busy (an ingest is running); waiting for it to finish…",
            root.display()
        );
    })?;
    Ok((store, lock))
}

fn no_store(store: &Store) -> CliError {
    CliError::Usage(format!(
        "{}: no store here (nothing has been ingested into it)",
        store.location()
    ))
}

/// Merges small files, holding the writer's lock.
pub fn compact(root: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let (store, lock) = locked(root)?;
    let before = store.manifest()?.files.len();
    let s = store.compact(&lock)?;
    if s.files_merged == 0 {
        writeln!(out, "compact: nothing to merge ({before} file(s))")?;
    } else {
        writeln!(
            out,
            "compact: {} file(s) merged into {}; the store holds {} file(s) (version {})",
            s.files_merged,
            s.files_written,
            before - s.files_merged + s.files_written,
            s.version
        )?;
    }
    Ok(())
}

/// Removes unreferenced files, holding the writer's lock.
pub fn vacuum(root: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let (store, lock) = locked(root)?;
    let removed = store.vacuum(&lock)?;
    for p in &removed {
        writeln!(out, "removed {p}")?;
    }
    writeln!(
        out,
        "vacuum: {} unreferenced file(s) removed",
        removed.len()
    )?;
    Ok(())
}
