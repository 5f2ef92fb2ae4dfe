//! taxa: payment terms of home-care tenders as rule files, checked and paid.
//!
//! ```text
//!  rule file ──check::load_file──▶ Loaded ──check::order_versions──▶ versions
//!     (syntax::parse ─▶ ast::File ─▶ check::check ─▶ Contract)         │ plan::compile
//!  data dir ──data::read──▶ Visit/CustomerRow/Event ──▶ eval::pay ──▶ PayRun ──report──▶ text | json
//! ```
//!
//! Each stage owns its error type, implementing `miette::Diagnostic` and
//! carrying what it needs to be rendered (a load error keeps the file's
//! text). Nothing in the library prints; only the CLI (`main.rs`, `cli.rs`)
//! turns errors into printed reports and exit codes.

pub mod check;
pub mod data;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod plan;
pub mod report;
pub mod suggest;
pub mod syntax;
