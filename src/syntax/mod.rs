//! Source text → syntax tree. The pest grammar lives in `grammar/taxa.pest`;
//! pest's types stay inside this module.

pub mod ast;
pub mod depth;
pub mod error;
mod keywords;
mod parser;
mod recover;
pub mod source;

pub use ast::*;
pub use depth::MAX_DEPTH;
pub use error::{SyntaxError, SyntaxKind};
pub use parser::{parse, parse_prelude};
pub use source::{SourceRef, normalize, source_ref};
