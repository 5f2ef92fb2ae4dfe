//! Opening the files of a data folder, and holding visits.csv open for a
//! whole run.
//!
//! An optional file (events.csv, providers.csv) that is truly absent has no
//! rows; a symbolic link to nothing, or a folder where a file should be, is
//! an error: it is an export gone wrong, and reading it as absent would
//! silently leave its rows unpaid.
//!
//! A run reads visits.csv in several passes (scan, limits, pay; see
//! `eval::pay`). Opening it again for each pass would let them disagree: a
//! file replaced between two passes (an export landing mid-run) could pay a
//! duplicate twice or let an unreadable row the scan never saw through a
//! strict run, and a FIFO cannot be opened twice at all. So the file is
//! opened once, as a [`VisitsFile`], and every pass reads that open file
//! from its start with reads at explicit offsets, so passes share no file
//! position. A file replaced on disk leaves the open one as it was (the old
//! inode stays readable); one written in place is noticed by its length and
//! modification time, at the start and end of each pass.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

use super::error::{DataErrors, FileError, FileErrorKind};

/// Opens `file_name` in `dir`. `Ok(None)`: an optional file that is not
/// there (and is not a dangling link either).
pub(super) fn open(
    dir: &Path,
    file_name: &str,
    required: bool,
) -> Result<Option<File>, DataErrors> {
    let path = dir.join(file_name);
    let unreadable = |e: &io::Error| {
        FileError::new(
            file_name,
            FileErrorKind::Unreadable,
            format!("cannot be read ({}): {e}", path.display()),
        )
    };
    match File::open(&path) {
        Ok(file) => {
            let meta = file.metadata().map_err(|e| unreadable(&e))?;
            if meta.is_dir() {
                return Err(FileError::new(
                    file_name,
                    FileErrorKind::Unreadable,
                    format!("is a folder, not a file: {}", path.display()),
                )
                .into());
            }
            Ok(Some(file))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let link = fs::symlink_metadata(&path)
                .ok()
                .filter(|m| m.file_type().is_symlink())
                .and_then(|_| fs::read_link(&path).ok());
            if let Some(target) = link {
                return Err(FileError::new(
                    file_name,
                    FileErrorKind::DanglingLink,
                    format!(
                        "is a symbolic link to {}, which does not exist",
                        target.display()
                    ),
                )
                .into());
            }
            if !required {
                return Ok(None);
            }
            Err(FileError::new(
                file_name,
                FileErrorKind::Missing,
                format!("file not found: {}", path.display()),
            )
            .into())
        }
        Err(e) => Err(unreadable(&e).into()),
    }
}

/// What a file's metadata says of its content: length and modification
/// time. A file written in place changes one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// visits.csv, opened once for a whole run ([`DataDir::open_visits`]);
/// every pass reads it from the start ([`VisitsFile::rows`]).
///
/// [`DataDir::open_visits`]: super::read::DataDir::open_visits
///
/// An input that cannot be read twice (a FIFO, `/dev/stdin` on a pipe,
/// a shell's process substitution `<(…)`) is spooled when opened: copied
/// once into an anonymous temporary file (`tempfile::tempfile`, removed by
/// the system when closed), which the passes then read. A regular file is
/// read where it is.
#[derive(Debug)]
pub struct VisitsFile {
    file: File,
    stamp: Stamp,
    spooled: bool,
}

impl VisitsFile {
    /// Opens visits.csv of `dir`, spooling a non-seekable input.
    pub(super) fn open(dir: &Path, file_name: &str) -> Result<VisitsFile, DataErrors> {
        let Some(mut file) = open(dir, file_name, true)? else {
            return Err(FileError::new(file_name, FileErrorKind::Missing, "file not found").into());
        };
        let unreadable = |what: &str, e: &io::Error| {
            DataErrors::from(FileError::new(
                file_name,
                FileErrorKind::Unreadable,
                format!("cannot be read ({what}): {e}"),
            ))
        };
        let meta = file
            .metadata()
            .map_err(|e| unreadable("its metadata", &e))?;
        let spooled = !meta.is_file();
        if spooled {
            let mut spool =
                tempfile::tempfile().map_err(|e| unreadable("a temporary copy of the pipe", &e))?;
            io::copy(&mut file, &mut spool)
                .map_err(|e| unreadable("copying it from the pipe", &e))?;
            file = spool;
        }
        let meta = file
            .metadata()
            .map_err(|e| unreadable("its metadata", &e))?;
        Ok(VisitsFile {
            file,
            stamp: Stamp::of(&meta),
            spooled,
        })
    }

    /// The file's length in bytes when it was opened.
    pub fn len(&self) -> u64 {
        self.stamp.len
    }

    pub fn is_empty(&self) -> bool {
        self.stamp.len == 0
    }

    /// Whether the input was a pipe (or other non-seekable input) copied
    /// into a temporary file when opened.
    pub fn spooled(&self) -> bool {
        self.spooled
    }

    /// A reader from the start of the file, independent of any other.
    pub(super) fn reader(&self) -> At<'_> {
        At {
            file: &self.file,
            pos: 0,
        }
    }

    /// An error when the file was written in place since it was opened:
    /// passes that read different content must not make one run.
    pub(super) fn unchanged(&self, file_name: &str) -> Result<(), FileError> {
        let now = self.file.metadata().map(|m| Stamp::of(&m));
        match now {
            Ok(now) if now == self.stamp => Ok(()),
            Ok(now) => Err(FileError::new(
                file_name,
                FileErrorKind::Unreadable,
                format!(
                    "changed while it was being read (it was {} bytes, it is {} bytes{}): \
                     the run's passes would not read the same rows",
                    self.stamp.len,
                    now.len,
                    if now.len == self.stamp.len {
                        ", modified again"
                    } else {
                        ""
                    }
                ),
            )),
            Err(e) => Err(FileError::new(
                file_name,
                FileErrorKind::Unreadable,
                format!("cannot be read again: {e}"),
            )),
        }
    }
}

/// Reads a file from an offset of its own: `pread` on Unix, so that readers
/// of one open file never move each other's position.
pub(super) struct At<'f> {
    file: &'f File,
    pos: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

/// Elsewhere: a seek, then a read. The passes of a run are sequential, so
/// the shared file position is never moved between the two.
#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(pos))?;
    file.read(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_dangling_and_folder_are_told_apart() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(open(tmp.path(), "events.csv", false).unwrap().is_none());
        let e = open(tmp.path(), "visits.csv", true).unwrap_err();
        assert_eq!(e.file_errors[0].kind, FileErrorKind::Missing);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("gone.csv", tmp.path().join("events.csv")).unwrap();
            let e = open(tmp.path(), "events.csv", false).unwrap_err();
            assert_eq!(e.file_errors[0].kind, FileErrorKind::DanglingLink);
            assert!(e.to_string().contains("a symbolic link to gone.csv"), "{e}");
        }

        std::fs::create_dir(tmp.path().join("providers.csv")).unwrap();
        let e = open(tmp.path(), "providers.csv", false).unwrap_err();
        assert!(e.to_string().contains("is a folder, not a file"), "{e}");
    }

    #[test]
    fn readers_of_one_file_do_not_move_each_other() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("visits.csv"), b"0123456789").unwrap();
        let file = VisitsFile::open(tmp.path(), "visits.csv").unwrap();
        let (mut a, mut b) = (file.reader(), file.reader());
        let mut buf = [0u8; 4];
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"0123");
        b.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"0123");
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"4567");
        assert_eq!((file.len(), file.spooled()), (10, false));
    }
}
