//! taxa: payment terms of home-care tenders as rule files, checked and paid.
//!
//! ```text
//!  rule file ──syntax::parse──▶ ast::File ──check::check──▶ Contract
//!                                                             │ plan::compile
//!  data dir ──data::read──▶ Visit/CustomerRow/Event ──▶ eval::pay ──▶ PayRun ──report──▶ text | json
//! ```
//!
//! Each stage owns its error type; only the CLI (`main.rs`) turns them into
//! miette reports.

pub mod check;
pub mod data;
pub mod eval;
pub mod plan;
pub mod report;
pub mod suggest;
pub mod syntax;
