//! The shape of a diagnostic's words (message, label, help) and the "did
//! you mean" sentence, which `diagnostics.rs` fills in for every message,
//! and a type in words.

use super::types::Ty;

/// A diagnostic's words; an empty label is no label.
pub(super) struct Words {
    pub(super) message: String,
    pub(super) label: String,
    pub(super) help: Option<String>,
}

impl Words {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Words {
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }
    pub(super) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    pub(super) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// "did you mean" when a declared name is near (saying which letter
    /// only looks right, if one does), else what is declared.
    pub(super) fn did_you_mean(
        self,
        written: &str,
        suggestion: &Option<String>,
        fallback: impl Into<String>,
    ) -> Self {
        match suggestion {
            Some(s) => self.help(did_you_mean(written, s)),
            None => self.help(fallback),
        }
    }
}

/// "did you mean `T1`?", and what tells `written` from it when the eye
/// cannot: "`Т` (U+0422 CYRILLIC CAPITAL LETTER TE) looks like `T`".
pub(super) fn did_you_mean(written: &str, meant: &str) -> String {
    match crate::suggest::invisible_difference(written, meant) {
        Some(difference) => format!("did you mean `{meant}`? {difference}"),
        None => format!("did you mean `{meant}`?"),
    }
}

/// A type in the words of the language reference; `field` names the field
/// a code or set is of.
pub(super) fn describe(ty: Ty, field: &str) -> String {
    match ty {
        Ty::Num(u) if u.is_none() => "a number".into(),
        Ty::Num(u) => format!("an amount in {u}"),
        Ty::Date => "a date".into(),
        Ty::Bool => "ja/nej".into(),
        Ty::Class(_) => format!("a `{field}` code"),
        Ty::Field(..) => format!("a `{field}` code"),
        Ty::Set(..) => format!("a set of `{field}` codes"),
        Ty::Text => "a text".into(),
    }
}
