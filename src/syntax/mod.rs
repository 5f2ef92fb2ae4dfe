//! Source text → syntax tree. The pest grammar lives in `grammar/taxa.pest`;
//! pest's types stay inside this module.

pub mod ast;
pub mod error;
mod parser;
pub mod source;

pub use ast::*;
pub use error::SyntaxError;
pub use parser::parse;
pub use source::{SourceRef, source_ref};
