//! Time bands: `tidsband` sets (several per contract, each a key of its
//! own), a band's days (weekdays, `vardag`, `helg`, declared calendars,
//! named eves) and clock range, and the conditions on a visit's start and
//! end (`start klockan 22:00 till 07:00`, `start i natt`, `slut i natt`).

use crate::syntax as ast;

use super::band_error::BandError;
use super::checker::Checker;
use super::contract::*;
use super::diagnostics::Error;
use super::error::suggest;
use super::types::Ctx;

/// The weekdays by name, Monday first.
const WEEKDAYS: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];

/// Day words of `dagar` beside the weekdays: groups of weekdays and the
/// eves a band can name by themselves.
const GROUPS: [(&str, [bool; 7]); 2] = [
    ("vardag", [true, true, true, true, true, false, false]),
    ("helg", [false, false, false, false, false, true, true]),
];
const EVES: [(&str, Eve); 4] = [
    ("påskafton", Eve::Easter),
    ("midsommarafton", Eve::Midsummer),
    ("julafton", Eve::Christmas),
    ("nyårsafton", Eve::NewYear),
];

/// Whether `name` is a day word of `dagar` (no calendar may be named so).
pub(super) fn is_day_word(name: &str) -> bool {
    WEEKDAYS.contains(&name)
        || GROUPS.iter().any(|(w, _)| *w == name)
        || EVES.iter().any(|(w, _)| *w == name)
}

impl Checker<'_> {
    /// `kalender NAME: svenska helgdagar`.
    pub(super) fn calendar_decl(&mut self, d: &ast::CalendarDecl) {
        if is_day_word(&d.name.node) {
            let name = d.name.node.clone();
            self.err(
                d.name.span,
                Error::Band(BandError::CalendarIsDayWord { name }),
            );
            return;
        }
        self.calendars.push(d.name.node.clone());
    }

    pub(super) fn band_decl(&mut self, d: &ast::BandDecl) {
        let name = &d.name.node;
        let taken_by = if self.bands.iter().any(|b| b.name == *name) {
            Some("another `tidsband`")
        } else if self.declared_field(name).is_some() {
            Some("a field of the data")
        } else {
            None
        };
        if let Some(taken_by) = taken_by {
            let name = name.clone();
            self.err(
                d.name.span,
                Error::Band(BandError::SetNameTaken { name, taken_by }),
            );
            return;
        }
        if self.bands.len() >= MAX_BAND_SETS {
            let most = MAX_BAND_SETS;
            self.err(d.name.span, Error::Band(BandError::TooManySets { most }));
            return;
        }
        let mut values = Vec::new();
        let mut rules = Vec::new();
        for b in &d.bands {
            if rules.contains(&BandRule::REST) {
                self.err(
                    b.span,
                    Error::BandAfterRest {
                        band: b.value.node.clone(),
                    },
                );
            }
            if values.contains(&b.value.node) {
                self.err(
                    b.value.span,
                    Error::DuplicateBand {
                        band: b.value.node.clone(),
                    },
                );
                continue;
            }
            let Some(rule) = self.band_rule(b) else {
                continue;
            };
            values.push(b.value.node.clone());
            rules.push(rule);
        }
        if !rules.contains(&BandRule::REST) {
            self.err(d.span, Error::NoRestBand);
        }
        self.bands.push(Bands {
            name: name.clone(),
            values,
            rules,
        });
    }

    /// One band's parts as one rule: days and a clock range both to match.
    fn band_rule(&mut self, b: &ast::Band) -> Option<BandRule> {
        let band = || b.value.node.clone();
        let mut rule = BandRule::REST;
        let mut rest = None;
        let mut ok = true;
        for part in &b.parts {
            match &part.node {
                ast::BandKind::Rest => rest = Some(part.span),
                ast::BandKind::Clock(from, to) => {
                    if rule.clock.is_some() {
                        let e = BandError::TwoParts {
                            band: band(),
                            part: "klockan",
                        };
                        self.err(part.span, Error::Band(e));
                        ok = false;
                    }
                    match (self.clock(from), self.clock(to)) {
                        (Some(f), Some(t)) => rule.clock = Some((f, t)),
                        _ => ok = false,
                    }
                }
                ast::BandKind::Days(days) => {
                    if rule.days.is_some() {
                        let e = BandError::TwoParts {
                            band: band(),
                            part: "dagar",
                        };
                        self.err(part.span, Error::Band(e));
                        ok = false;
                    }
                    rule.days = Some(self.day_set(days));
                }
            }
        }
        if let Some(span) = rest
            && b.parts.len() > 1
        {
            // Read as the rest band it says it is, so no "no band for the
            // rest" follows.
            self.err(span, Error::Band(BandError::RestCombined { band: band() }));
            return Some(BandRule::REST);
        }
        ok.then_some(rule)
    }

    fn day_set(&mut self, days: &[ast::Ident]) -> DaySet {
        let mut set = DaySet::default();
        for day in days {
            let word = day.node.as_str();
            if let Some(i) = WEEKDAYS.iter().position(|w| *w == word) {
                set.weekdays[i] = true;
            } else if let Some((_, group)) = GROUPS.iter().find(|(w, _)| *w == word) {
                for (d, g) in set.weekdays.iter_mut().zip(group) {
                    *d |= g;
                }
            } else if let Some((_, eve)) = EVES.iter().find(|(w, _)| *w == word) {
                set.eves |= 1 << *eve as u8;
            } else if self.calendars.iter().any(|c| c == word) {
                set.holidays = true;
            } else {
                let mut names: Vec<&str> = WEEKDAYS.to_vec();
                names.extend(GROUPS.iter().map(|(w, _)| *w));
                names.extend(EVES.iter().map(|(w, _)| *w));
                names.extend(self.calendars.iter().map(String::as_str));
                self.err(
                    day.span,
                    Error::UnknownDay {
                        day: day.node.clone(),
                        suggestion: suggest(word, names),
                    },
                );
            }
        }
        set
    }

    /// `start klockan FROM till TO`, `start i BAND`, `slut …`.
    pub(super) fn at_cond(
        &mut self,
        c: &ast::Cond,
        end: bool,
        test: &ast::AtTest,
        ctx: Ctx,
    ) -> Option<Cond> {
        let row = match ctx {
            Ctx::Rows(RowSource::Visits | RowSource::Activities) => None,
            Ctx::Rows(RowSource::CustomerDays) => Some("a customer-day"),
            Ctx::Rows(RowSource::Events) => Some("an event"),
            Ctx::Rows(RowSource::ProviderMonths) => Some("a provider-month"),
            Ctx::Customer => Some("a customer row"),
            Ctx::Provider => Some("a provider"),
            Ctx::Cap | Ctx::Replace(_) => Some("a sum over lines"),
        };
        if let Some(row) = row {
            self.err(c.span, Error::Band(BandError::AtNotOnVisits { row }));
            return None;
        }
        let test = match test {
            ast::AtTest::Clock(from, to) => AtTest::Clock(self.clock(from)?, self.clock(to)?),
            ast::AtTest::Band(id) => {
                let (set, value) = self.band_value(id)?;
                AtTest::Band(set, value)
            }
        };
        Some(Cond::At { end, test })
    }

    /// A band value by name: the one set that has it.
    fn band_value(&mut self, id: &ast::Ident) -> Option<(u8, u16)> {
        let mut found = self
            .bands
            .iter()
            .enumerate()
            .filter_map(|(s, b)| b.values.iter().position(|v| *v == id.node).map(|v| (s, v)));
        let first = found.next();
        let second = found.next();
        let error = match (first, second) {
            (Some((s, v)), None) => return Some((s as u8, v as u16)),
            (Some((a, _)), Some((b, _))) => BandError::AmbiguousBand {
                value: id.node.clone(),
                first: self.bands[a].name.clone(),
                second: self.bands[b].name.clone(),
            },
            (None, _) if self.all_terms.contains(&id.node) => BandError::TermNotBand {
                name: id.node.clone(),
            },
            (None, _) => {
                let values: Vec<&str> = self
                    .bands
                    .iter()
                    .flat_map(|b| b.values.iter().map(String::as_str))
                    .collect();
                BandError::UnknownBand {
                    value: id.node.clone(),
                    sets: self.bands.iter().map(|b| b.name.clone()).collect(),
                    suggestion: suggest(&id.node, values),
                }
            }
        };
        self.err(id.span, Error::Band(error));
        None
    }
}
