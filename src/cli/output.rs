//! Where the output goes: standard output, or the `--out` file. A payment
//! statement is a financial record, and a partial or wrong file that looks
//! complete is the worst outcome, so:
//!
//! - `--out` is checked before anything is read ([`OutPath::resolve`]): a
//!   folder, a read-only file or one of the run's own input files is refused
//!   (exit 3), so a run never overwrites what it reads;
//! - a regular file is written to a temporary file created exclusively, under
//!   a random name, in the target's folder, synced, then renamed over the
//!   target; the temporary file is removed on every failure and on SIGINT or
//!   SIGTERM ([`cleanup`]);
//! - a symlink is followed to its target, which is replaced; the link stays;
//! - a device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written
//!   directly: it cannot be renamed over, and replacing it with a regular
//!   file would break it for everyone else;
//! - every failed write or flush is an error (exit 3, `error: cannot write
//!   …`), except a closed pipe (`taxa pay … | head`), which ends quietly:
//!   the reader has what it wanted, as in ripgrep. Rust ignores SIGPIPE, so a
//!   closed pipe shows up as `ErrorKind::BrokenPipe`.

use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::{self, ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::UsageError;

/// What writing the output came to, when it did not simply succeed.
#[derive(Debug)]
pub enum WriteError {
    /// The reader closed the pipe; not worth a message, exit 0.
    Closed,
    /// A write, flush, sync or rename failed (exit 3); `what` is
    /// `standard output` or the `--out` path as given.
    Failed { what: String, error: io::Error },
}

impl WriteError {
    pub(super) fn new(what: impl Into<String>, error: io::Error) -> WriteError {
        if error.kind() == ErrorKind::BrokenPipe {
            WriteError::Closed
        } else {
            WriteError::Failed {
                what: what.into(),
                error,
            }
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Closed => write!(f, "the reader closed the pipe"),
            WriteError::Failed { what, error } => write!(f, "cannot write {what}: {error}"),
        }
    }
}

/// Writes all of `bytes` to standard output and flushes, so an error of the
/// last, buffered part is seen too (the flush at exit ignores it).
pub fn to_stdout(bytes: &[u8]) -> Result<(), WriteError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| WriteError::new("standard output", e))
}

/// `--out`, checked: the path as given (for messages), the path to write
/// (symlinks followed) and what is there now.
#[derive(Debug)]
pub struct OutPath {
    given: PathBuf,
    real: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// Nothing there yet: created through a temporary file, with the mode a
    /// plain create would give it (0666 less the umask).
    New,
    /// A regular file: replaced through a temporary file, keeping its mode.
    Regular(Permissions),
    /// A device, FIFO or socket: written in place.
    Special,
}

/// How many symlinks a dangling chain may have before it counts as a loop;
/// Linux's own limit (`MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

impl OutPath {
    /// Checks `--out` against what is there and against the run's `inputs`
    /// (rule files and data files), before any of them is read.
    pub fn resolve(given: PathBuf, inputs: &[PathBuf]) -> Result<OutPath, UsageError> {
        let unusable = |e: io::Error| UsageError::OutUnusable(given.clone(), e);
        let real = follow_links(&given).map_err(unusable)?;
        let meta = match std::fs::metadata(&real) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => return Err(unusable(e)),
        };
        let planned = planned_path(&real).map_err(unusable)?;
        for input in inputs {
            if is_same_file(&planned, meta.as_ref(), input) {
                return Err(UsageError::OutIsInput {
                    out: given,
                    input: input.clone(),
                });
            }
        }
        let kind = match meta {
            None => Kind::New,
            Some(m) if m.is_dir() => return Err(UsageError::OutFolder(given)),
            // On the permission bits, not on whether a write would succeed:
            // root may write anything, and a file someone made read-only
            // must not be replaced by a run as root either.
            Some(m) if m.permissions().readonly() => return Err(UsageError::OutReadOnly(given)),
            Some(m) if m.is_file() => Kind::Regular(m.permissions()),
            Some(_) => Kind::Special,
        };
        Ok(OutPath { given, real, kind })
    }

    /// Writes `bytes` whole, or leaves the target as it was and no
    /// temporary file behind.
    pub fn write(&self, bytes: &[u8]) -> Result<(), WriteError> {
        let fail = |e| WriteError::new(self.given.display().to_string(), e);
        match &self.kind {
            Kind::Special => write_in_place(&self.real, bytes).map_err(fail),
            Kind::New => replace(&self.real, bytes, None).map_err(fail),
            Kind::Regular(p) => replace(&self.real, bytes, Some(p)).map_err(fail),
        }
    }
}

/// The path a write to `path` lands on: symlinks followed to their target,
/// also when the last one dangles (the shell's `>` creates the target too).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(real) => return Ok(real),
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                // A relative link is relative to the folder it sits in.
                at = at.parent().map_or(to.clone(), |dir| dir.join(&to));
            }
            // Not there (or its folder is not): the target to create.
            _ => return Ok(at),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `path` made absolute through its folder, whether or not the file exists;
/// two names of one planned file compare equal.
fn planned_path(path: &Path) -> io::Result<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Ok(real);
    }
    let dir = folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    Ok(std::fs::canonicalize(dir)?.join(name))
}

/// Whether the output would land on `input`: the same path once resolved
/// (also for an optional data file not there yet, which the next run would
/// read), or the same file under another name (a hard link: same device and
/// inode).
fn is_same_file(out: &Path, out_meta: Option<&Metadata>, input: &Path) -> bool {
    if planned_path(input).is_ok_and(|p| p == out) {
        return true;
    }
    match (out_meta, std::fs::metadata(input)) {
        (Some(o), Ok(i)) => o.dev() == i.dev() && o.ino() == i.ino(),
        _ => false,
    }
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A device or FIFO: opened without creating or truncating, written, and
/// not synced (fsync on a pipe fails, and there is no disk to sync to).
fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Writes `bytes` to a fresh temporary file in `path`'s folder and renames
/// it over `path`. The folder must be the same so the rename is atomic (one
/// file system); the name is random and the file created exclusively, so a
/// symlink or file planted under a predictable name is never followed or
/// reused.
fn replace(path: &Path, bytes: &[u8], keep: Option<&Permissions>) -> io::Result<()> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // 0666 through open(2), so the umask applies as for any new file;
    // tempfile's own default, 0600, would change what users get.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(&prefix)
        .suffix(".taxa-tmp")
        .permissions(Permissions::from_mode(0o666));
    let mut tmp = cleanup::create(|| builder.tempfile_in(dir))?;
    if let Some(p) = keep {
        // Exactly the old mode, not it less the umask; no set-id bits.
        tmp.as_file()
            .set_permissions(Permissions::from_mode(p.mode() & 0o777))?;
    }
    tmp.write_all(bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    cleanup::persist(tmp, path)?;
    // Makes the rename itself durable. Best effort: some file systems
    // refuse fsync on a folder, and the statement is already in place.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removing the temporary file when the run is interrupted. Dropping a
/// `NamedTempFile` removes it on every error path, but a signal ends the
/// process without running destructors; so the path is registered while
/// the file exists, and a thread that waits for SIGINT and SIGTERM removes
/// it and exits 130 or 143 (128 + the signal, as a shell reports it).
///
/// The handler is installed only when a temporary file is about to be
/// made: before that, a signal ends taxa as it always did, with nothing to
/// clean up. One lock orders the handler against creating and renaming the
/// file, so it never removes a file that is not yet registered or one that
/// has already become the statement.
pub(super) mod cleanup {
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, MutexGuard, Once};

    use signal_hook::consts::{SIGINT, SIGTERM};
    use tempfile::NamedTempFile;

    /// The temporary file to remove if a signal comes.
    static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

    fn pending() -> MutexGuard<'static, Option<PathBuf>> {
        // A panic while holding the lock leaves a path that is still right.
        PENDING.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates the temporary file with the handler installed and its path
    /// registered, all under the lock.
    pub(in super::super) fn create(
        make: impl FnOnce() -> io::Result<NamedTempFile>,
    ) -> io::Result<NamedTempFile> {
        let mut slot = pending();
        install()?;
        let tmp = make()?;
        *slot = Some(tmp.path().to_path_buf());
        Ok(tmp)
    }

    /// Renames the temporary file over `path` and forgets it, under the
    /// lock; on failure the returned error drops the file, removing it.
    pub(in super::super) fn persist(tmp: NamedTempFile, path: &Path) -> io::Result<()> {
        let mut slot = pending();
        let done = tmp.persist(path).map(drop).map_err(|e| e.error);
        *slot = None;
        done
    }

    fn install() -> io::Result<()> {
        static INSTALLED: Once = Once::new();
        let mut result = Ok(());
        INSTALLED.call_once(|| {
            result = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).map(|mut signals| {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // Held until exit, so the main thread cannot
                        // create or rename a file meanwhile.
                        let mut slot = pending();
                        remove(&mut slot);
                        std::process::exit(128 + signal);
                    }
                });
            });
        });
        result
    }

    /// Removes the registered file, if any; what the handler does before it
    /// exits.
    pub(in super::super) fn remove(slot: &mut Option<PathBuf>) {
        if let Some(path) = slot.take() {
            let _ = std::fs::remove_file(path);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn remove_deletes_the_registered_file_and_forgets_it() {
            let dir = tempfile::tempdir().unwrap();
            let tmp = NamedTempFile::new_in(dir.path()).unwrap();
            let (_file, path) = tmp.keep().unwrap();
            let mut slot = Some(path.clone());
            remove(&mut slot);
            assert!(!path.exists());
            assert!(slot.is_none());
            remove(&mut slot);
        }

        #[test]
        fn a_failed_rename_leaves_no_temporary_file() {
            let dir = tempfile::tempdir().unwrap();
            let tmp = create(|| NamedTempFile::new_in(dir.path())).unwrap();
            assert!(pending().is_some());
            // A folder cannot be renamed over by a file.
            let target = dir.path().join("sub");
            std::fs::create_dir(&target).unwrap();
            std::fs::write(target.join("x"), "x").unwrap();
            assert!(persist(tmp, &target).is_err());
            assert!(pending().is_none());
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "only the folder is left: {left:?}");
        }

        /// Set in the child process of the signal test: the folder to make
        /// the temporary file in.
        const CHILD: &str = "TAXA_TEST_SIGNAL_CHILD";

        /// The handler end to end, without a hook in taxa: this test runs
        /// itself again as a child that makes a temporary file the way
        /// `replace` does and then waits; the parent signals it once the
        /// file is there. Writing a statement is too short to hit with a
        /// signal from outside reliably.
        #[test]
        fn a_signal_removes_the_temporary_file_and_exits_128_plus_it() {
            if let Some(dir) = std::env::var_os(CHILD) {
                let _tmp = create(|| NamedTempFile::new_in(dir)).unwrap();
                std::thread::sleep(std::time::Duration::from_secs(30));
                panic!("the signal did not come");
            }
            for (signal, name) in [(SIGINT, "-INT"), (SIGTERM, "-TERM")] {
                let dir = tempfile::tempdir().unwrap();
                let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                    .args([
                        "--exact",
                        "cli::output::cleanup::tests::\
                         a_signal_removes_the_temporary_file_and_exits_128_plus_it",
                        "--test-threads=1",
                    ])
                    .env(CHILD, dir.path())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                let files = || std::fs::read_dir(dir.path()).unwrap().count();
                let start = std::time::Instant::now();
                while files() == 0 {
                    assert!(start.elapsed().as_secs() < 20, "the child made no file");
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                let killed = std::process::Command::new("kill")
                    .args([name, &child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(killed.success());
                let status = child.wait().unwrap();
                assert_eq!(status.code(), Some(128 + signal), "{name}");
                assert_eq!(files(), 0, "{name}: the temporary file is removed");
            }
        }
    }
}
