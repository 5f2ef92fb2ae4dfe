//! The row passes: what one visit, one event or one customer-day
//! contributes to which line, through each term's gate.

pub mod days;
pub mod events;
pub mod visits;
