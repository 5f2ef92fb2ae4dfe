//! The row passes: what one visit, one event, one customer-day or one
//! provider-month contributes to which line, through each term's gate.

pub mod days;
pub mod events;
pub mod provider_months;
pub mod visits;
