//! The walk for time: `tidsband` declarations (a band's days and clock
//! range) and the conditions on a visit's start and end. A child of
//! `parser.rs`, so pest types stay inside the parser.

use pest::iterators::Pair;

use super::super::ast::*;
use super::grammar::Rule;
use super::pairs::{children, ident, span, text};

pub(super) fn build_bands(p: Pair<Rule>) -> BandDecl {
    let sp = span(&p);
    let mut it = children(p);
    let name = ident(it.next().unwrap());
    let bands = it
        .map(|b| {
            let bsp = span(&b);
            let mut bi = children(b);
            let value = ident(bi.next().unwrap());
            let parts = bi
                .map(|k| {
                    let ksp = span(&k);
                    let kind = match k.as_rule() {
                        Rule::band_clock => {
                            let mut ki = children(k);
                            BandKind::Clock(text(ki.next().unwrap()), text(ki.next().unwrap()))
                        }
                        Rule::band_days => BandKind::Days(children(k).map(ident).collect()),
                        _ => BandKind::Rest,
                    };
                    Spanned::new(kind, ksp)
                })
                .collect();
            Band {
                value,
                parts,
                span: bsp,
            }
        })
        .collect();
    BandDecl {
        name,
        bands,
        span: sp,
    }
}

/// `start klockan 22:00 till 07:00`, `slut i natt`.
pub(super) fn at_time(p: Pair<Rule>) -> Cond {
    let sp = span(&p);
    let mut it = children(p);
    let end = it.next().expect("start or slut").as_str() == "slut";
    let test = it.next().expect("a test");
    let test = match test.as_rule() {
        Rule::band_clock => {
            let mut ki = children(test);
            AtTest::Clock(text(ki.next().expect("from")), text(ki.next().expect("to")))
        }
        _ => AtTest::Band(ident(test)),
    };
    Spanned::new(CondKind::At { end, test }, sp)
}
