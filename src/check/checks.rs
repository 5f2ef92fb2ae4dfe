//! `kontroller för besök:` and `kontroller för händelser:`: the engine's
//! own checks as a declaration. The prelude (`rules/prelude/standard.taxa`)
//! declares the default, today's settled order; a rule file's declaration
//! for a row kind replaces it whole: it may restate the checks, reorder
//! them, give each its words, or leave out one that may be left out (a
//! relaxation). Checks that keep the rows meaningful cannot be left out;
//! leaving one out is an error that says why.

use std::sync::Arc;

use crate::syntax::{self as ast, Span};

use super::checker::Checker;
use super::checks_error::{ChecksError, MAX_HOURS, NAMES, RowKind, name};
use super::contract::{Checks, DeclaredCheck, EngineCheck};
use super::diagnostics::Error;

/// The checks a row kind must keep.
fn required(rows: RowKind) -> &'static [EngineCheck] {
    match rows {
        RowKind::Visits => &[
            EngineCheck::Duplicate,
            EngineCheck::EndNotAfterStart,
            EngineCheck::OutsideValidity,
            EngineCheck::UnknownCustomer,
            EngineCheck::CustomerRowsOverlap,
        ],
        RowKind::Events => &[EngineCheck::Duplicate, EngineCheck::OutsideValidity],
    }
}

/// Whether a check means anything on the row kind.
fn applies(c: EngineCheck, rows: RowKind) -> bool {
    match rows {
        RowKind::Visits => true,
        RowKind::Events => matches!(c, EngineCheck::Duplicate | EngineCheck::OutsideValidity),
    }
}

/// The check the words name, or why they name none.
fn read(words: &[String]) -> Result<EngineCheck, ChecksError> {
    let joined = words.join(" ");
    let known = match joined.as_str() {
        "dubblett" => Some(EngineCheck::Duplicate),
        "slut inte efter start" => Some(EngineCheck::EndNotAfterStart),
        "utanför avtalstiden" => Some(EngineCheck::OutsideValidity),
        "okänd kund" => Some(EngineCheck::UnknownCustomer),
        "kundrader överlappar" => Some(EngineCheck::CustomerRowsOverlap),
        "annan utförare" => Some(EngineCheck::ProviderDiffers),
        _ => None,
    };
    if let Some(c) = known {
        return Ok(c);
    }
    if let [a, b, n, h] = words
        && a == "längre"
        && b == "än"
        && h == "h"
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return match n.parse::<u32>() {
            Ok(hours) if (1..=MAX_HOURS).contains(&hours) => Ok(EngineCheck::LongerThan { hours }),
            _ => Err(ChecksError::BadHours { written: n.clone() }),
        };
    }
    let suggestion = crate::suggest::closest(&joined, NAMES, crate::suggest::Tolerance::Name)
        .map(str::to_string);
    Err(ChecksError::UnknownCheck {
        written: joined,
        suggestion,
    })
}

impl Checker<'_> {
    /// The default checks (the prelude's), then the rule file's, each
    /// declaration replacing the default for its row kind.
    pub(super) fn checks(&mut self, tree: &ast::File) -> Checks {
        let mut checks = Checks::default();
        self.standard = true;
        for item in super::prelude::items() {
            if let ast::Item::Checks(d) = item {
                self.checks_decl(d, &mut checks, &mut [None, None]);
            }
        }
        self.standard = false;
        let mut seen: [Option<Span>; 2] = [None, None];
        for item in &tree.items {
            if let ast::Item::Checks(d) = item {
                self.checks_decl(d, &mut checks, &mut seen);
            }
        }
        checks
    }

    fn checks_decl(
        &mut self,
        d: &ast::ChecksDecl,
        into: &mut Checks,
        seen: &mut [Option<Span>; 2],
    ) {
        let rows = match d.rows.node.as_str() {
            "besök" => RowKind::Visits,
            "händelser" => RowKind::Events,
            other => {
                let e = ChecksError::UnknownRows {
                    written: other.to_string(),
                };
                self.err(d.rows.span, Error::Checks(e));
                return;
            }
        };
        let slot = rows as usize;
        if let Some(first) = seen[slot] {
            let e = ChecksError::DeclaredTwice {
                rows,
                first: self.sref(first).to_string(),
            };
            self.err(d.rows.span, Error::Checks(e));
            return;
        }
        seen[slot] = Some(d.rows.span);
        let mut list: Vec<DeclaredCheck> = Vec::new();
        let mut unread = false;
        for entry in &d.checks {
            let words: Vec<String> = entry.words.iter().map(|w| w.node.clone()).collect();
            let span = entry
                .words
                .first()
                .zip(entry.words.last())
                .map_or(entry.span, |(a, b)| Span::new(a.span.start, b.span.end));
            let check = match read(&words) {
                Ok(c) => c,
                Err(e) => {
                    self.err(span, Error::Checks(e));
                    unread = true;
                    continue;
                }
            };
            if !applies(check, rows) {
                self.err(
                    span,
                    Error::Checks(ChecksError::NotOnRows {
                        check: name(check),
                        rows,
                    }),
                );
                continue;
            }
            let same = |c: &DeclaredCheck| {
                std::mem::discriminant(&c.check) == std::mem::discriminant(&check)
            };
            if list.iter().any(same) {
                self.err(
                    span,
                    Error::Checks(ChecksError::Twice { check: name(check) }),
                );
                continue;
            }
            list.push(DeclaredCheck {
                check,
                reason: entry.reason.as_ref().map(|r| Arc::from(r.node.as_str())),
                source: (!self.standard).then(|| self.sref(entry.span)),
            });
        }
        // A name not read may be the check that seems missing.
        for &must in required(rows).iter().filter(|_| !unread) {
            if !list.iter().any(|c| c.check == must) {
                let e = ChecksError::CannotDrop { check: must, rows };
                self.err(d.rows.span, Error::Checks(e));
            }
        }
        match rows {
            RowKind::Visits => into.visits = list,
            RowKind::Events => into.events = list,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn names_read_back() {
        for n in NAMES {
            assert_eq!(name(read(&words(n)).unwrap()), n);
        }
        assert_eq!(
            read(&words("längre än 36 h")).unwrap(),
            EngineCheck::LongerThan { hours: 36 }
        );
        assert!(matches!(
            read(&words("längre än 0 h")),
            Err(ChecksError::BadHours { .. })
        ));
        assert!(matches!(
            read(&words("dublett")),
            Err(ChecksError::UnknownCheck { suggestion: Some(s), .. }) if s == "dubblett"
        ));
    }
}
