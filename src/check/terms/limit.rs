//! `gräns`: count limits of a paying term, per period or party, in a stated
//! order.

use crate::data::ActivitySet;
use crate::syntax as ast;

use crate::check::checker::Checker;
use crate::check::contract::*;
use crate::check::diagnostics::Error;
use crate::check::error::suggest;
use crate::check::month_error::MonthError;
use crate::check::units::Unit;

impl Checker<'_> {
    pub(in crate::check) fn limit(&mut self, l: &ast::Limit, rows: RowSource) -> Option<Limit> {
        if rows == RowSource::CustomerDays {
            self.err(l.span, Error::LimitOnCustomerDays);
            return None;
        }
        if rows == RowSource::ProviderMonths {
            self.err(l.span, Error::Month(MonthError::LimitOnProviderMonths));
            return None;
        }
        let (n, unit) = self.constant(&l.count)?;
        if !(unit.is_none() || unit == Unit::ST) || !n.is_integer() {
            self.err(l.count.span, Error::LimitNotWholeCount);
            return None;
        }
        // The grammar has no negative numbers: below 1 is 0.
        if n < Exact::from_integer(1) {
            self.err(l.count.span, Error::LimitBelowOne);
            return None;
        }
        const SCOPES: [&str; 6] = ["utförare", "månad", "kund", "iso-vecka", "dag", "aktivitet"];
        let mut per = Vec::new();
        for p in &l.per {
            let scope = match p.node.as_str() {
                "utförare" => Scope::Provider,
                "månad" => Scope::Month,
                "kund" => Scope::Customer,
                "iso-vecka" => Scope::IsoWeek,
                "dag" => Scope::Day,
                "aktivitet" if rows == RowSource::Activities => Scope::Activity,
                _ => {
                    self.err(
                        p.span,
                        Error::UnknownScope {
                            scope: p.node.clone(),
                            scopes: &SCOPES,
                            suggestion: suggest(&p.node, SCOPES),
                        },
                    );
                    return None;
                }
            };
            per.push(scope);
        }
        let only = if l.only.is_empty() {
            None
        } else if rows != RowSource::Activities {
            self.err(l.only[0].span, Error::LimitOnlyNotActivities);
            return None;
        } else {
            let mut set = ActivitySet::default();
            for a in &l.only {
                set.insert(self.code_value(Field::Activity, a)?);
            }
            Some(set)
        };
        let allowed: &'static [&'static str] = match rows {
            RowSource::Events => &["date", "datum", "event_id"],
            _ => &["start", "visit_id"],
        };
        let mut order = Vec::new();
        for o in &l.order {
            let f = match o.node.as_str() {
                "date" | "datum" if rows == RowSource::Events => Field::Date,
                "event_id" if rows == RowSource::Events => Field::EventId,
                "start" if rows != RowSource::Events => Field::Start,
                "visit_id" if rows != RowSource::Events => Field::VisitId,
                _ => {
                    self.err(
                        o.span,
                        Error::UnknownOrder {
                            field: o.node.clone(),
                            allowed,
                            suggestion: suggest(&o.node, allowed.iter().copied()),
                        },
                    );
                    return None;
                }
            };
            order.push(f);
        }
        Some(Limit {
            count: n.to_integer() as u64,
            per,
            only,
            order,
            reason: self.cited(&l.reason),
            source: self.sref(l.span),
        })
    }
}
