//! `fil`: the data files a rule file declares of its own, with how their
//! rows attach (`per kund och period`, `per utförare och period`), resolved
//! into the contract's [`OwnFile`]s; which contexts their rows attach in;
//! and the conditions that ask whether a row attaches (`ingen frånvaro`,
//! `frånvaro`, `frånvaro finns`).

use crate::data::{DataFile, OwnFile, Per, layout_columns};
use crate::syntax as ast;

use super::checker::Checker;
use super::contract::*;
use super::declared::built_in;
use super::diagnostics::Error;
use super::error::suggest;
use super::file_error::FileError;
use super::types::Ctx;

/// The four standard files, as rule files name them and as the data folder
/// holds them.
const STANDARD: [(&str, DataFile, &str); 4] = [
    ("besök", DataFile::Visits, "visits.csv"),
    ("kunder", DataFile::Customers, "customers.csv"),
    ("händelser", DataFile::Events, "events.csv"),
    ("utförare", DataFile::Providers, "providers.csv"),
];

/// At most this many own files: a field names its file by a `u8`.
const MAX_FILES: usize = u8::MAX as usize;

/// Why `file` is not a plain file name of the data folder (a path could
/// read outside it).
fn bad_file_name(file: &str) -> Option<&'static str> {
    if file.trim().is_empty() {
        Some("it is empty")
    } else if file.contains(['/', '\\']) {
        Some("it is a path; the file must be in the data folder itself")
    } else if file == "." || file == ".." {
        Some("it names a folder")
    } else if file != file.trim() || file.chars().any(char::is_control) {
        Some("it has spaces at an end, or a control character")
    } else {
        None
    }
}

impl Checker<'_> {
    /// A `fil` named like a `villkor`, `klass` or `tidsband` (known only
    /// after the files are declared).
    pub(super) fn file_names_taken(&mut self, tree: &ast::File) {
        for item in &tree.items {
            let ast::Item::File(d) = item else { continue };
            let name = &d.name.node;
            let taken_by = if self.conditions.contains_key(name) {
                "a `villkor`"
            } else if self.classes.iter().any(|c| c.name == *name) {
                "a `klass`"
            } else if self.bands.iter().any(|b| b.name == *name) {
                "a `tidsband`"
            } else {
                continue;
            };
            let error = FileError::NameTaken {
                name: name.clone(),
                taken_by,
            };
            self.err(d.name.span, Error::File(error));
        }
    }

    pub(super) fn file_decl(&mut self, d: &ast::FileDecl) {
        let name = &d.name.node;
        // Declared before the rule file's fields (they name it), so only
        // the standard fields are known here; `file_names_taken` checks the
        // other names once they are.
        let taken_by = if built_in(name) || self.declared_field(name).is_some() {
            Some("a field of the data layout")
        } else {
            None
        };
        let error = if STANDARD.iter().any(|(n, ..)| n == name) {
            Some(FileError::StandardName { name: name.clone() })
        } else if self.files.iter().any(|f| f.name == *name) {
            Some(FileError::DeclaredTwice { name: name.clone() })
        } else {
            taken_by.map(|taken_by| FileError::NameTaken {
                name: name.clone(),
                taken_by,
            })
        };
        if let Some(e) = error {
            self.err(d.name.span, Error::File(e));
            return;
        }
        let file = &d.file.node;
        let error = if let Some(why) = bad_file_name(file) {
            Some(FileError::BadFileName {
                file: file.clone(),
                why,
            })
        } else if STANDARD.iter().any(|(.., f)| f == file) {
            Some(FileError::StandardFile { file: file.clone() })
        } else {
            self.files
                .iter()
                .find(|f| f.file == *file)
                .map(|other| FileError::SameFile {
                    file: file.clone(),
                    other: other.name.clone(),
                })
        };
        if let Some(e) = error {
            self.err(d.file.span, Error::File(e));
            return;
        }
        if self.files.len() >= MAX_FILES {
            self.err(
                d.span,
                Error::File(FileError::TooManyFiles { most: MAX_FILES }),
            );
            return;
        }
        let per = if d.per.node == "kund" {
            Per::Customer
        } else {
            Per::Provider
        };
        self.files.push(OwnFile {
            name: name.clone(),
            file: file.clone(),
            per,
        });
    }

    /// The number of the own file `name`, if the rule file declares one.
    pub(super) fn own_file(&self, name: &str) -> Option<u8> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .map(|k| k as u8)
    }

    /// The data file a `fält` or `rubriker` names when it is none of the
    /// four: one the rule file declares, or an error naming the files it
    /// could have meant.
    pub(super) fn other_data_file(&mut self, written: &ast::Ident) -> Option<DataFile> {
        if let Some(k) = self.own_file(&written.node) {
            return Some(DataFile::Own(k));
        }
        let names = STANDARD
            .iter()
            .map(|(n, ..)| *n)
            .chain(self.files.iter().map(|f| f.name.as_str()));
        let suggestion = suggest(&written.node, names);
        let error = if self.files.is_empty() {
            Error::UnknownFieldFile {
                name: written.node.clone(),
                suggestion,
            }
        } else {
            Error::File(FileError::UnknownFile {
                name: written.node.clone(),
                suggestion,
                own: self.files.iter().map(|f| f.name.clone()).collect(),
            })
        };
        self.err(written.span, error);
        None
    }

    /// The columns of a file's layout that `rubriker` may map: an own
    /// file's key columns.
    pub(super) fn file_columns(&self, file: DataFile) -> Vec<&'static str> {
        match file {
            DataFile::Own(k) => self
                .files
                .get(k as usize)
                .map_or(&[][..], |f| f.per.key_columns())
                .to_vec(),
            _ => layout_columns(file).collect(),
        }
    }

    /// The file's name in the data folder, for messages.
    pub(super) fn file_label(&self, file: DataFile) -> String {
        match file {
            DataFile::Own(k) => self
                .files
                .get(k as usize)
                .map_or(String::new(), |f| f.file.clone()),
            _ => STANDARD
                .iter()
                .find(|(_, f, _)| *f == file)
                .map_or(String::new(), |(.., name)| name.to_string()),
        }
    }

    /// Whether rows of own file `k` attach where `ctx` reads (`name` is
    /// what is read: a field of the file, or the file); says so when not.
    /// A visit, an activity, a customer-day, an event and a customer row on
    /// a fund's basis date have a customer, a provider and a date; a
    /// provider-month (caps, supplements, `ersätter`) has a provider and
    /// the month's first day, but no customer.
    pub(super) fn attaches(&mut self, name: &ast::Ident, k: u8, ctx: Ctx) -> bool {
        let Some(own) = self.files.get(k as usize) else {
            return false;
        };
        let attaches = match ctx {
            Ctx::Rows(_) | Ctx::Customer => true,
            Ctx::Cap | Ctx::Provider | Ctx::Replace(_) => own.per == Per::Provider,
        };
        if !attaches {
            let error = FileError::NotAttached {
                name: name.node.clone(),
                file: own.name.clone(),
                per: own.per,
                ctx,
            };
            self.err(name.span, Error::File(error));
        }
        attaches
    }

    /// The file itself read as a yes/no value (`där frånvaro`), if `name`
    /// is an own file: whether a row attaches.
    pub(super) fn attached_field(&mut self, name: &ast::Ident, ctx: Ctx) -> Option<Option<Field>> {
        let k = self.own_file(&name.node)?;
        Some(self.attaches(name, k, ctx).then_some(Field::Attached(k)))
    }

    /// `ingen frånvaro`: no row of the file attaches.
    pub(super) fn no_rows(&mut self, name: &ast::Ident, ctx: Ctx) -> Option<Cond> {
        let Some(k) = self.own_file(&name.node) else {
            let own: Vec<String> = self.files.iter().map(|f| f.name.clone()).collect();
            let suggestion = suggest(&name.node, own.iter().map(String::as_str));
            let error = FileError::NoRowsOfWhat {
                name: name.node.clone(),
                suggestion,
                own,
            };
            self.err(name.span, Error::File(error));
            return None;
        };
        if !self.attaches(name, k, ctx) {
            return None;
        }
        Some(Cond::Compare(
            Expr::Field(Field::Attached(k)),
            Cmp::Eq,
            Expr::Bool(false),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::bad_file_name;

    #[test]
    fn a_file_is_a_plain_name_in_the_data_folder() {
        assert_eq!(bad_file_name("frånvaro.csv"), None);
        assert_eq!(bad_file_name("Frånvaro 2025.csv"), None);
        for bad in [
            "", " ", "../x.csv", "a/b.csv", "a\\b.csv", "..", " x.csv", "x\t.csv",
        ] {
            assert!(bad_file_name(bad).is_some(), "{bad:?}");
        }
    }
}
