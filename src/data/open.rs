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
//!
//! Each file may also come as an Excel workbook of the same name
//! (visits.xlsx, see `xlsx`); both forms in one folder is an error naming
//! both, so that neither is silently ignored. visits.xlsx is written out as
//! CSV into an anonymous temporary file when it is opened, and that file is
//! what the passes read: the sheet is converted once per run, not once per
//! pass, and the passes read one snapshot as they do of a CSV file. (Only a
//! rule file with a date field of visits, `fält … i besök: datum`, has it
//! written out again by the first pass, which knows that column: a date
//! cell at midnight is a date there and a date-time elsewhere.)

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use super::error::{DataErrors, FileError, FileErrorKind};
use super::layout::{FileColumns, VisitColumns};
use super::model::Schema;
use super::xlsx::{Sheet, Workbook, date_columns, workbook_name};

/// One file of a data folder, in the form the folder has it.
pub(super) enum Input {
    Csv(File),
    /// Boxed: an open workbook is some hundred bytes, a file one handle.
    Workbook(Box<Workbook>),
}

/// Opens `csv` of `dir`, or the workbook that may stand for it
/// (customers.csv → customers.xlsx). `Ok(None)`: an optional file that is
/// in neither form. Both forms there is an error: taxa does not choose.
pub(super) fn open_input(
    dir: &Path,
    csv: &'static str,
    required: bool,
) -> Result<Option<Input>, DataErrors> {
    // A link counts as there, dangling or not (`open` tells which).
    let there = |name: &str| fs::symlink_metadata(dir.join(name)).is_ok();
    match workbook_name(csv) {
        Some(book) if there(book) && there(csv) => Err(FileError::new(
            csv,
            FileErrorKind::TwoFormats,
            format!(
                "{book} is in the data folder too: taxa reads one of {csv} and {book}, and \
                 will not choose which"
            ),
        )
        .into()),
        Some(book) if there(book) => match open(dir, book, required)? {
            Some(file) => Ok(Some(Input::Workbook(Box::new(Workbook::open(file, book)?)))),
            None => Ok(None),
        },
        _ => Ok(open(dir, csv, required)?.map(Input::Csv)),
    }
}

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
/// read where it is. visits.xlsx is written out as CSV into such a file.
#[derive(Debug)]
pub struct VisitsFile {
    file: File,
    stamp: Stamp,
    spooled: bool,
    /// visits.xlsx: `file` is its first sheet written out.
    sheet: Option<SheetVisits>,
}

/// visits.xlsx written out (see the module doc).
#[derive(Debug)]
struct SheetVisits {
    sheet: Arc<Sheet>,
    /// The workbook, until the first pass knows whether the sheet must be
    /// written out again for the rule file's date fields.
    book: Mutex<Option<Workbook>>,
    /// The sheet written out again for them.
    again: OnceLock<Result<(File, Arc<Sheet>), DataErrors>>,
}

impl VisitsFile {
    /// Opens visits.csv (or visits.xlsx) of `dir`, spooling a non-seekable
    /// input, writing out a workbook.
    pub(super) fn open(dir: &Path, file_name: &'static str) -> Result<VisitsFile, DataErrors> {
        let missing = || {
            DataErrors::from(FileError::new(
                file_name,
                FileErrorKind::Missing,
                "file not found",
            ))
        };
        let mut file = match open_input(dir, file_name, true)?.ok_or_else(missing)? {
            Input::Csv(file) => file,
            Input::Workbook(book) => return VisitsFile::workbook(*book),
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
            sheet: None,
        })
    }

    /// visits.xlsx, written out with no date columns: visits have none
    /// unless the rule file declares one ([`VisitsFile::source`]).
    fn workbook(mut book: Workbook) -> Result<VisitsFile, DataErrors> {
        let spool = book.spool(|names| vec![false; names.len()])?;
        let meta = spool.file.metadata().map_err(|e| {
            DataErrors::from(FileError::new(
                spool.sheet.file,
                FileErrorKind::Unreadable,
                format!("cannot be read (its written-out copy): {e}"),
            ))
        })?;
        Ok(VisitsFile {
            file: spool.file,
            stamp: Stamp::of(&meta),
            spooled: true,
            sheet: Some(SheetVisits {
                sheet: Arc::new(spool.sheet),
                book: Mutex::new(Some(book)),
                again: OnceLock::new(),
            }),
        })
    }

    /// What one pass reads: a reader from the start of the CSV text and,
    /// for a workbook, where its records are in the sheet — the sheet as
    /// written out when opened, or, when `codes` declares date fields of
    /// visits, as written out again for them by the first pass.
    pub(super) fn source(
        &self,
        codes: &Schema,
    ) -> Result<(At<'_>, Option<Arc<Sheet>>), DataErrors> {
        let Some(visits) = &self.sheet else {
            return Ok((self.reader(), None));
        };
        let dates = |names: &[String]| date_columns(names, &VisitColumns::LAYOUT, codes);
        let mut book = visits.book.lock().unwrap_or_else(|e| e.into_inner());
        if visits.sheet.written_with(dates) {
            // Every pass of a run reads with the same code book: the
            // workbook is not needed again.
            *book = None;
            return Ok((self.reader(), Some(visits.sheet.clone())));
        }
        let again = visits.again.get_or_init(|| match book.as_mut() {
            Some(book) => book
                .spool(dates)
                .map(|spool| (spool.file, Arc::new(spool.sheet))),
            None => Err(FileError::new(
                visits.sheet.file,
                FileErrorKind::Unreadable,
                "was read in one run with two different sets of date fields",
            )
            .into()),
        });
        *book = None;
        match again {
            Ok((file, sheet)) if sheet.written_with(dates) => {
                Ok((At { file, pos: 0 }, Some(sheet.clone())))
            }
            Ok(_) => Err(FileError::new(
                visits.sheet.file,
                FileErrorKind::Unreadable,
                "was read in one run with two different sets of date fields",
            )
            .into()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The file's length in bytes when it was opened.
    pub fn len(&self) -> u64 {
        self.stamp.len
    }

    pub fn is_empty(&self) -> bool {
        self.stamp.len == 0
    }

    /// Whether the input was a pipe (or other non-seekable input) copied
    /// into a temporary file when opened, or a workbook written out.
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
