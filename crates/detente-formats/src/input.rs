//! Reading input files: regular files only, at most [`MAX_INPUT_BYTES`], text located when it
//! is not UTF-8. Every reader of this crate reads through here, so no read can block (a FIFO),
//! run forever (`/dev/zero`) or exhaust memory (a huge file).

use crate::{FormatError, Location};
use detente_core::limits::MAX_INPUT_BYTES;
use std::io::Read;
use std::path::Path;

/// The bytes of a regular file of at most [`MAX_INPUT_BYTES`]. A FIFO, a device, a socket or a
/// folder (after following symlinks) is refused before it is opened, so the read cannot block
/// or run forever; a file that grows past the limit while it is read is refused too.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, FormatError> {
    let io = |source| FormatError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(FormatError::NotAFile { path: path.to_path_buf(), found: file_type_name(&meta.file_type()) });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(FormatError::TooLarge { path: path.to_path_buf(), size: meta.len(), limit: MAX_INPUT_BYTES });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(FormatError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64, limit: MAX_INPUT_BYTES });
    }
    Ok(bytes)
}

/// The first `n` bytes of a regular file (for a look at its format); `None` for anything that
/// is not a readable regular file (the reader that loads it reports why).
pub(crate) fn read_prefix(path: &Path, n: u64) -> Option<Vec<u8>> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(n).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The text of a regular file ([`read_bytes`]) that must be UTF-8 (TOML, JSON); a byte that is
/// not is a syntax error at its line and column. `what` names the format in the message.
pub(crate) fn read_text(path: &Path, what: &str) -> Result<String, FormatError> {
    let bytes = read_bytes(path)?;
    utf8(bytes, &path.display().to_string(), what)
}

/// `bytes` as UTF-8, or a syntax error at the first invalid byte (line and column counted in
/// the valid text before it).
pub(crate) fn utf8(bytes: Vec<u8>, file: &str, what: &str) -> Result<String, FormatError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        FormatError::Syntax {
            location: Location::from_offset(file, prefix, at),
            message: format!("byte 0x{:02x} is not UTF-8 (at byte offset {at}); {what} must be UTF-8", bytes[at]),
        }
    })
}

/// What a path that is not a regular file is, in words.
fn file_type_name(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_that_is_not_utf8_is_located() {
        let e = utf8(b"a = 1\nbc = \"\xff\"\n".to_vec(), "f.toml", "TOML").unwrap_err();
        assert_eq!(e.location().unwrap().to_string(), "f.toml:2:7");
        assert!(e.to_string().contains("byte 0xff is not UTF-8"), "{e}");
    }
}
