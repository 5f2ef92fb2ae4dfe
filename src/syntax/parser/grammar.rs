//! The grammar, `grammar/taxa.pest`, as pest's generated parser and its
//! `Rule`s.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/taxa.pest"]
pub(super) struct TaxaParser;
