//! Views of a [`crate::eval::PayRun`]: text for people, JSON for tools.
//!
//! Both views print the same digits: [`json`] owns the canonical decimal
//! strings (`123565.50`) and [`text`] only localises them (`123 565,50`).

pub mod json;
pub mod text;

pub use json::to_json;
pub use text::to_text;

/// A small pay run exercising every part of the views, shared by the tests of
/// both formats.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::eval::{
        ContractInfo, Line, NotPaid, NotPaidKind, NotPaidPart, PartKind, PayRun, Reconciliation,
        SourceRef, Statement,
    };
    use rust_decimal::Decimal;

    pub(crate) const FILE: &str = "rules/norrtalje-2025.taxa";

    pub(crate) fn dec(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    pub(crate) fn src(line: u32, col: u32) -> SourceRef {
        SourceRef {
            file: FILE.to_string(),
            line,
            col,
        }
    }

    fn key(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(
        term: &str,
        label: &str,
        key_pairs: &[(&str, &str)],
        quantity: &str,
        unit: &str,
        rate: &str,
        rate_unit: &str,
        amount: &str,
        source: SourceRef,
        explanation: &str,
        details: &[&str],
    ) -> Line {
        Line {
            term: term.to_string(),
            label: label.to_string(),
            key: key(key_pairs),
            quantity: dec(quantity),
            unit: unit.to_string(),
            rate: dec(rate),
            rate_unit: rate_unit.to_string(),
            amount: dec(amount),
            source,
            explanation: explanation.to_string(),
            details: details.iter().map(|d| d.to_string()).collect(),
        }
    }

    pub(crate) fn empty_run() -> PayRun {
        PayRun {
            contract: ContractInfo {
                name: "Norrtälje 2025".to_string(),
                file: FILE.to_string(),
                valid_from: "2025-01-01".to_string(),
                valid_to: "2025-12-31".to_string(),
            },
            versions: Vec::new(),
            statements: Vec::new(),
            not_paid: Vec::new(),
            not_paid_parts: Vec::new(),
            reconciliation: Reconciliation::default(),
            uncovered_months: Vec::new(),
        }
    }

    /// Two providers (one without a name), a two-field key, a line capped to a
    /// negative amount, a quantity with four decimals, details, every kind of
    /// not-paid entry (with and without source, provider and period) and both
    /// kinds of part.
    pub(crate) fn sample_run() -> PayRun {
        let p01 = Statement {
            provider: "P01".to_string(),
            provider_name: Some("Omsorg Nord AB".to_string()),
            period: "2025-03".to_string(),
            total: dec("106169.41"),
            lines: vec![
                line(
                    "T1",
                    "Hemtjänst, utförd tid",
                    &[("zone", "tätort")],
                    "254.25",
                    "h",
                    "486",
                    "kr/h",
                    "123565.50",
                    src(14, 1),
                    "915300 s × 486 kr/h ÷ 3600 = 123565.50",
                    &[],
                ),
                line(
                    "T1",
                    "Hemtjänst, utförd tid",
                    &[("zone", "landsbygd")],
                    "3.2258",
                    "h",
                    "512",
                    "kr/h",
                    "1651.61",
                    src(14, 1),
                    "11613 s × 512 kr/h ÷ 3600 = 1651.61",
                    &[],
                ),
                line(
                    "T3",
                    "Larmutryckning",
                    &[],
                    "12",
                    "st",
                    "350",
                    "kr/st",
                    "4200",
                    src(22, 1),
                    "12 st × 350 kr/st = 4200.00",
                    &[],
                ),
                line(
                    "T9",
                    "Tak per månad",
                    &[],
                    "1",
                    "st",
                    "-23247.70",
                    "kr",
                    "-23247.70",
                    src(40, 3),
                    "129417.11 kr over the cap of 106169.41 kr: cut 23247.70",
                    &["cuts T1, T3"],
                ),
            ],
        };
        let p02 = Statement {
            provider: "P02".to_string(),
            provider_name: None,
            period: "2025-03".to_string(),
            total: dec("1238167.80"),
            lines: vec![
                line(
                    "T2",
                    "Hemtjänst, dubbelbemanning",
                    &[("zone", "skärgård"), ("shift", "natt")],
                    "2286.2367",
                    "h",
                    "540.00",
                    "kr/h",
                    "1234567.8",
                    src(18, 1),
                    "8230452 s × 540 kr/h ÷ 3600 = 1234567.80",
                    &[],
                ),
                line(
                    "T6",
                    "Månadsavgift per kund",
                    &[],
                    "3",
                    "mån",
                    "1200",
                    "kr/mån",
                    "3600",
                    src(31, 1),
                    "",
                    &["C017", "C105", "C230"],
                ),
            ],
        };
        PayRun {
            statements: vec![p01, p02],
            not_paid: vec![
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1001".to_string(),
                    reason: "before the contract's validity".to_string(),
                    source: Some(src(3, 1)),
                    provider: Some("P01".to_string()),
                    period: Some("2024-12".to_string()),
                },
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1007".to_string(),
                    reason: "duplicate of V1006".to_string(),
                    source: None,
                    provider: Some("P01".to_string()),
                    period: Some("2025-03".to_string()),
                },
                NotPaid {
                    kind: NotPaidKind::Visit,
                    id: "V1099".to_string(),
                    reason: "end not after start".to_string(),
                    source: None,
                    provider: None,
                    period: None,
                },
                NotPaid {
                    kind: NotPaidKind::Event,
                    id: "E0003".to_string(),
                    reason: "alarm not answered within 30 min".to_string(),
                    source: Some(src(52, 5)),
                    provider: Some("P02".to_string()),
                    period: Some("2025-03".to_string()),
                },
                NotPaid {
                    kind: NotPaidKind::CustomerMonth,
                    id: "C042:2025-03".to_string(),
                    reason: "no referral for the month".to_string(),
                    source: Some(src(31, 1)),
                    provider: Some("P02".to_string()),
                    period: Some("2025-03".to_string()),
                },
            ],
            not_paid_parts: vec![
                NotPaidPart {
                    kind: PartKind::VisitTime,
                    id: "V1002".to_string(),
                    seconds: Some(1800),
                    activity: None,
                    reason: "outside the paid window 07:00–22:00".to_string(),
                    source: Some(src(16, 5)),
                    provider: Some("P01".to_string()),
                    period: Some("2025-03".to_string()),
                },
                NotPaidPart {
                    kind: PartKind::VisitActivity,
                    id: "V1003".to_string(),
                    seconds: None,
                    activity: Some("inköp".to_string()),
                    reason: "over the limit of 1 per week".to_string(),
                    source: Some(src(25, 5)),
                    provider: Some("P01".to_string()),
                    period: Some("2025-03".to_string()),
                },
            ],
            reconciliation: Reconciliation {
                visits_in: 1204,
                visits_paid: 1201,
                visits_not_paid: 3,
                events_in: 37,
                events_paid: 36,
                events_not_paid: 1,
            },
            ..empty_run()
        }
    }
}
