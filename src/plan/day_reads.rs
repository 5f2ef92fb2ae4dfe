//! What the customer-day terms and sums read of the day itself, so that the
//! walk over customer-days can price a run of days at once: a customer
//! row's cells are the same on every day it covers, so unless a rule reads
//! the date, its contribution on `n` such days is `n` times one day's.
//!
//! The date enters a rule only through comparisons (dates have no
//! arithmetic), and `datum OP X` can change only between `X - 1` and `X` or
//! between `X` and `X + 1`. So the days where a result may change are the
//! dates a rule compares with and the day after each: the rule file's date
//! literals, and the date cells of the row and of its provider. The rows of
//! the rule file's own files attach per date, so a rule reading them is
//! priced day by day.
//!
//! Every match here is exhaustive: a new kind of expression, condition or
//! field must say what it reads of the day.

use chrono::NaiveDate;

use crate::check::{Cond, Expr, Field, PayTerm};

use super::sums::{DaySum, SumScope};

/// What the day terms and sums of a contract read of the day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DayReads {
    /// Nothing: every day a customer row covers is priced alike.
    #[default]
    Nothing,
    /// The date (`datum`), compared with these literal dates of the rule
    /// file (and with date cells of the row at hand).
    Date(Vec<NaiveDate>),
    /// The rule file's own files, whose rows attach day by day.
    EachDay,
}

impl DayReads {
    pub fn of(terms: &[&PayTerm], sums: &[DaySum]) -> DayReads {
        let mut w = Walk::default();
        for t in terms {
            if let Some(c) = &t.filter {
                w.cond(c);
            }
            for r in &t.requires {
                w.cond(&r.cond);
            }
            w.expr(&t.quantity);
            t.key.iter().for_each(|f| w.field(*f));
        }
        for s in sums {
            if let Some(c) = s.filter {
                w.cond(c);
            }
            w.expr(s.expr);
            if let SumScope::Customer(fields) = &s.scope {
                fields.iter().for_each(|f| w.field(*f));
            }
        }
        if w.each_day {
            DayReads::EachDay
        } else if w.date {
            w.literals.sort();
            w.literals.dedup();
            DayReads::Date(w.literals)
        } else {
            DayReads::Nothing
        }
    }
}

#[derive(Default)]
struct Walk {
    date: bool,
    each_day: bool,
    literals: Vec<NaiveDate>,
}

impl Walk {
    fn field(&mut self, f: Field) {
        match f {
            Field::Date => self.date = true,
            Field::Declared(crate::data::DataFile::Own(_), _) | Field::Attached(_) => {
                self.each_day = true
            }
            Field::Declared(..)
            | Field::VisitId
            | Field::EventId
            | Field::Start
            | Field::Activity
            | Field::Class(_)
            | Field::Band(_) => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Date(d) => self.literals.push(*d),
            Expr::Num(_) | Expr::Bool(_) | Expr::Code(_) | Expr::Measure(_) => {}
            Expr::Field(f) => self.field(*f),
            Expr::Lookup(t) => t.keys.iter().for_each(|f| self.field(*f)),
            Expr::Binary(_, l, r) => {
                self.expr(l);
                self.expr(r);
            }
            // A sum over customer-days is a cap's bound, never read on a
            // customer-day; walking it costs nothing and stays on the safe
            // side.
            Expr::SumDays { filter, expr, .. } => {
                if let Some(c) = filter {
                    self.cond(c);
                }
                self.expr(expr);
            }
            Expr::SumTerms(_) => {}
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| self.cond(c)),
            Cond::Not(c) => self.cond(c),
            Cond::HasAny(f, _) | Cond::HasOnly(f, _) => self.field(*f),
            Cond::Within(a, b, d) => [a, b, d].into_iter().for_each(|e| self.expr(e)),
            Cond::Compare(a, _, b) => [a, b].into_iter().for_each(|e| self.expr(e)),
            // A visit's start or end: the checker allows it on visits only.
            Cond::InTerm(_) | Cond::At { .. } => {}
            Cond::Exists(e) => self.expr(e),
        }
    }
}
