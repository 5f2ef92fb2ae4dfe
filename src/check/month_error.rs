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
    /// `besök ersätts inte` in a file that also has a visit or activity
    /// term.
    NotPricedButPaid { term: String },
    /// `besök ersätts inte` written twice.
    NotPricedTwice,
    /// No visit or activity term, and no `besök ersätts inte` (warning).
    VisitsUnpriced,
}

impl MonthError {
    pub(super) fn kind(&self) -> CheckKind {
        match self {
            MonthError::LimitOnProviderMonths
            | MonthError::CapPerCustomerOverProviderMonths { .. }
            | MonthError::NotPricedButPaid { .. } => CheckKind::Misplaced,
            MonthError::NotPricedTwice => CheckKind::Duplicate,
            MonthError::VisitsUnpriced => CheckKind::Unused,
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
            MonthError::NotPricedButPaid { term } => Words::new(format!(
                "`besök ersätts inte` says this contract prices no visits, but `{term}` pays them"
            ))
            .label("no visits priced")
            .help(
                "remove `besök ersätts inte`, or the terms over visits and activities: a contract \
                 either prices its visits or counts them as not priced",
            ),
            MonthError::NotPricedTwice => Words::new("`besök ersätts inte` is said twice")
                .label("said again")
                .help("say it once"),
            MonthError::VisitsUnpriced => Words::new(
                "no term pays visits, and the contract does not say that it prices none",
            )
            .label("no `för besök` or `för aktiviteter` term")
            .help(
                "if this contract prices no visits, say `besök ersätts inte`: its visits are then \
                 counted in the reconciliation (`visits_not_priced`) instead of each listed as not \
                 paid; otherwise add a term `för besök`",
            ),
        }
    }
}
