//! Every file and folder the CLI writes goes through here: `--html`, `--trace` and
//! `scenario convert`. The rules, in one place:
//!
//! - **Atomic.** A file is written to a temporary file in the same folder, synced, then renamed
//!   over the target; a folder export is written to a temporary folder beside the target and
//!   renamed into place. A reader never sees half an output, and a run killed midway leaves the
//!   old content intact (at worst a hidden `.detente-partial-*` beside it).
//! - **No silent overwrite.** An existing file, or a folder that is not empty, is replaced only
//!   with `--force`; without it the target is never replaced, even one created by a concurrent
//!   run while this one was computing (the final rename refuses it).
//! - **Never an input.** An output that is (or lies inside, or contains) an input of the command
//!   is refused, even with `--force`; paths are compared canonically, so `./s.toml`,
//!   `dir/../s.toml` and a link to it are the same file.
//! - **Regular files only.** An existing output that is a FIFO, a device or a socket is refused
//!   even with `--force`; a folder is replaced with `--force` only when it holds nothing but an
//!   earlier GENIUS export (regular `.xml` files).

use crate::load::Failure;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of the temporary files and folders written beside an output.
const PARTIAL: &str = ".detente-partial-";

fn cannot(path: &Path, e: &dyn std::fmt::Display) -> Failure {
    Failure::Input(format!("{}: cannot write: {e}", path.display()))
}

/// The folder `path` is written in (`.` for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `path` made canonical as far as it exists: the canonical parent joined with the last
/// component when `path` itself does not exist yet.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(c) = path.canonicalize() {
        return Some(c);
    }
    let name = path.file_name()?;
    Some(parent_of(path).canonicalize().ok()?.join(name))
}

/// Refuses an output that is an input, lies inside an input folder, or contains an input.
fn check_not_input(path: &Path, input: Option<&Path>) -> Result<(), Failure> {
    let (Some(input), Some(out)) = (input, canonical(path)) else { return Ok(()) };
    let Some(inp) = canonical(input) else { return Ok(()) };
    let why = if out == inp {
        "is the input of this command"
    } else if out.starts_with(&inp) {
        "lies inside the input folder of this command"
    } else if inp.starts_with(&out) {
        "contains the input of this command"
    } else {
        return Ok(());
    };
    Err(Failure::Input(format!("{}: {why} ({}); an input is never overwritten, even with --force", path.display(), input.display())))
}

/// Refuses two outputs of one command naming the same file (the second would replace the first).
pub(crate) fn distinct(a: (&str, &Path), b: (&str, &Path)) -> Result<(), Failure> {
    if a.1 == b.1 || canonical(a.1).is_some_and(|x| canonical(b.1).is_some_and(|y| x == y)) {
        return Err(Failure::Usage(format!("{} and {} name the same file {}; give each its own", a.0, b.0, a.1.display())));
    }
    Ok(())
}

/// What is at `path` now, without following a final symbolic link.
fn existing(path: &Path) -> Option<std::fs::Metadata> {
    std::fs::symlink_metadata(path).ok()
}

/// Checks a file output before any work is done: not an input, not a folder or a special
/// file, and not an existing file unless `force`.
pub(crate) fn check_file(path: &Path, force: bool, input: Option<&Path>) -> Result<(), Failure> {
    check_not_input(path, input)?;
    let dir = parent_of(path);
    if !dir.is_dir() {
        return Err(Failure::Input(format!("{}: cannot write: the folder {} does not exist", path.display(), dir.display())));
    }
    let Some(meta) = existing(path) else { return Ok(()) };
    // A link is judged by what it points to (it is replaced, never written through).
    let target = std::fs::metadata(path).unwrap_or(meta);
    if target.is_dir() {
        return Err(Failure::Input(format!("{}: is a folder; expected a file name such as out.json", path.display())));
    }
    if !target.is_file() {
        return Err(Failure::Input(format!(
            "{}: is not a regular file (a FIFO, device or socket); outputs are regular files only, even with --force",
            path.display()
        )));
    }
    if !force {
        return Err(Failure::Input(format!("{}: already exists; give --force to replace it", path.display())));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (see the module documentation), after the checks of
/// [`check_file`]. Without `force` an existing file is never replaced, even one created while
/// the output was computed.
pub(crate) fn write_file(path: &Path, bytes: &[u8], force: bool, input: Option<&Path>) -> Result<(), Failure> {
    check_file(path, force, input)?;
    let dir = parent_of(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(PARTIAL);
    // Readable by others, as a file written with `>` would be (a temporary file starts
    // private); a replaced file keeps its permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o644);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| cannot(path, &e))?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| cannot(path, &e))?;
    if force {
        tmp.persist(path).map_err(|e| cannot(path, &e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::Input(format!("{}: already exists; give --force to replace it", path.display()))
            } else {
                cannot(path, &e.error)
            }
        })?;
    }
    sync_dir(dir);
    Ok(())
}

/// Makes a rename in `dir` durable (best effort: not every file system syncs folders).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Whether `dir` holds nothing but regular `.xml` files: an earlier GENIUS export, which
/// `--force` may replace.
fn holds_only_an_export(dir: &Path) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let is_xml = Path::new(&entry.file_name()).extension().is_some_and(|x| x.eq_ignore_ascii_case("xml"));
        if !entry.file_type()?.is_file() || !is_xml {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Checks a folder output before any work is done: not an input (nor inside or around one),
/// a new or empty folder, or with `force` a folder holding only an earlier GENIUS export.
pub(crate) fn check_folder(path: &Path, force: bool, input: Option<&Path>) -> Result<(), Failure> {
    check_not_input(path, input)?;
    let Some(meta) = existing(path) else { return Ok(()) };
    if meta.file_type().is_symlink() {
        return Err(Failure::Input(format!("{}: is a symbolic link; expected a new or empty folder", path.display())));
    }
    if !meta.is_dir() {
        return Err(Failure::Input(format!("{}: is not a folder; expected a new or empty folder for --to genius", path.display())));
    }
    let empty = std::fs::read_dir(path).map_err(|e| cannot(path, &e))?.next().is_none();
    if empty {
        return Ok(());
    }
    if !force {
        // Files of another scenario beside the new ones would make the folder unreadable (two
        // domains) or mix profiles: only a new or empty folder is written, or one replaced whole.
        return Err(Failure::Input(format!(
            "{}: the folder is not empty; expected a new or empty folder for --to genius (give --force to replace an earlier export)",
            path.display()
        )));
    }
    if !holds_only_an_export(path).map_err(|e| cannot(path, &e))? {
        return Err(Failure::Input(format!(
            "{}: holds more than an earlier GENIUS export (files other than .xml, or folders); not replaced, even with --force",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `files` (name, text) as the folder `path`: into a temporary folder beside it, then
/// renamed into place, so the folder appears whole or not at all. Of two concurrent exports to
/// one new folder, one succeeds and the other fails (nothing mixed). With `force` an earlier
/// export is moved aside, the new folder renamed in, and the old one deleted. Returns the
/// paths written, in the order given.
pub(crate) fn write_folder(path: &Path, files: &[(String, String)], force: bool, input: Option<&Path>) -> Result<Vec<PathBuf>, Failure> {
    check_folder(path, force, input)?;
    let parent = parent_of(path);
    std::fs::create_dir_all(parent).map_err(|e| cannot(path, &e))?;
    let tmp = tempfile::Builder::new().prefix(PARTIAL).tempdir_in(parent).map_err(|e| cannot(path, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As `mkdir` would make it (a temporary folder starts private).
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).map_err(|e| cannot(path, &e))?;
    }
    for (name, text) in files {
        let p = tmp.path().join(name);
        // `create_new`: two files of one export never share a name silently.
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&p).map_err(|e| cannot(&path.join(name), &e))?;
        f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| cannot(&path.join(name), &e))?;
    }
    sync_dir(tmp.path());
    let not_empty = |e: &std::io::Error| {
        // The folder gained files since the check (another run's export).
        matches!(e.kind(), std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::AlreadyExists)
    };
    let occupied =
        || Failure::Input(format!("{}: the folder is not empty (another export finished first?); nothing was written", path.display()));
    let replacing = force && existing(path).is_some_and(|m| m.is_dir()) && std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some());
    if replacing {
        // Move the old export aside (onto a fresh empty folder), put the new one in, then
        // delete the old: a kill in between leaves both, never neither.
        let old = tempfile::Builder::new().prefix(PARTIAL).tempdir_in(parent).map_err(|e| cannot(path, &e))?;
        std::fs::rename(path, old.path()).map_err(|e| cannot(path, &e))?;
        if let Err(e) = std::fs::rename(tmp.path(), path) {
            let _ = std::fs::rename(old.path(), path);
            return Err(if not_empty(&e) { occupied() } else { cannot(path, &e) });
        }
        // `old` deletes the replaced export when dropped.
        drop(old);
    } else {
        // Onto a missing or empty folder; refused by the system if it holds anything by now.
        std::fs::rename(tmp.path(), path).map_err(|e| if not_empty(&e) { occupied() } else { cannot(path, &e) })?;
    }
    // The temporary folder is now `path`: nothing is left to delete.
    let _ = tmp.keep();
    sync_dir(parent);
    Ok(files.iter().map(|(name, _)| path.join(name)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_inside_or_around_an_input_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("in");
        std::fs::create_dir(&input).expect("mkdir");
        std::fs::write(input.join("d.xml"), "x").expect("write");
        assert!(check_file(&input.join("d.xml"), true, Some(&input)).is_err());
        assert!(check_file(&input.join("new.toml"), true, Some(&input)).is_err());
        assert!(check_folder(dir.path(), true, Some(&input.join("d.xml"))).is_err());
        assert!(check_file(&dir.path().join("other.toml"), true, Some(&input)).is_ok());
    }

    #[test]
    fn a_failed_folder_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let files = vec![("a.xml".to_string(), "1".to_string()), ("a.xml".to_string(), "2".to_string())];
        assert!(write_folder(&out, &files, false, None).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 0, "no output and no temporary folder left");
    }
}
