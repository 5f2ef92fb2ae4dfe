//! The words of the checks on provider-month terms (`för utförarmånader`,
//! fixed fees) and on `besök ersätts inte` (a contract that prices no
//! visits), kept apart from `diagnostics.rs` as `header_error.rs` is.

use super::error::CheckKind;
use super::words::Words;

/// A provider-month term or a `besök ersätts inte` that cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum MonthError {
    /// `gräns` in a `för utförarmånader` term.
    LimitOnProviderMonths,
    /// `tak … över F1 per kund` where F1 pays provider-months.
    CapPerCustomerOverProviderMonths { term: String },
}

impl MonthError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            MonthError::LimitOnProviderMonths
            | MonthError::CapPerCustomerOverProviderMonths { .. } => CheckKind::Misplaced,
        }
    }

    pub(super) fn words(&self) -> Words {
        match self {
            MonthError::LimitOnProviderMonths => {
                Words::new("count limits apply to visits, activities and events, not to provider-months")
                    .help("a provider-month term pays each provider once a month; choose the providers and months with `där`")
            }
            MonthError::CapPerCustomerOverProviderMonths { term } => {
                Words::new(format!("`{term}` pays per provider and month, not per customer"))
                    .label("no customers")
                    .help("cap it per provider and month: leave out `per kund …`")
            }
        }
    }
}
