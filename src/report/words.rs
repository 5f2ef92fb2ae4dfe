//! The words of the views: how a line's working reads, what a not-paid
//! reason and kind are called, and the text view's headings — Swedish by
//! default (providers read Swedish), English on request ([`Lang`]). The
//! rule file's own words (labels, `annars "…"`) are printed as written in
//! either language. JSON field names, kinds and check codes are the
//! output contract's and never translated.

use std::borrow::Cow;

use crate::check::EngineCheck;
use crate::eval::{Line, NotPaidKind, PartKind, Reason, Working};

use super::format::{exact, swedish};

/// The language of the words a view prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// Swedish: the default.
    #[default]
    Sv,
    En,
}

impl Lang {
    /// `sv` or `en`, as the command line writes them.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The Swedish or the English words.
    pub fn pick<T>(self, sv: T, en: T) -> T {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// How a line's amount was worked out, in words and figures
/// (`915300 s × 486 kr/h ÷ 3600 = 123565.50`). `local`: the figures in
/// the text view's Swedish form (`915 300`, `123 565,50`) when the words
/// are Swedish; the JSON view keeps canonical figures.
pub fn working(l: &Line, lang: Lang, local: bool) -> String {
    let fig = |canonical: String| {
        if local && lang == Lang::Sv {
            swedish(&canonical)
        } else {
            canonical
        }
    };
    let amount = fig(l.amount.to_string());
    match &l.working {
        Working::Product {
            seconds: Some(secs),
            rate,
            rate_unit,
            ..
        } => format!(
            "{} s × {} {rate_unit} ÷ 3600 = {amount}",
            fig(exact(*secs)),
            fig(exact(*rate))
        ),
        Working::Product {
            quantity,
            unit,
            rate,
            rate_unit,
            ..
        } => format!(
            "{} {unit} × {} {rate_unit} = {amount}",
            fig(exact(*quantity)),
            fig(exact(*rate))
        ),
        Working::Cap {
            over,
            capped,
            bound,
            excess,
        } => format!(
            "Σ {} = {} kr {} {} kr {} {} kr",
            over.join(" + "),
            fig(capped.to_string()),
            lang.pick("överstiger taket", "exceeds the cap"),
            fig(bound.to_string()),
            lang.pick("med", "by"),
            fig(excess.to_string()),
        ),
        Working::CapPerCustomer {
            excess,
            unit,
            rate,
            rate_unit,
            ..
        } => format!(
            "{} {unit} {} × {} {rate_unit} = {amount}",
            fig(exact(*excess)),
            lang.pick("över taket", "over the cap"),
            fig(exact(*rate))
        ),
        Working::Share { base, share, .. } => {
            format!(
                "{} kr × {} = {amount}",
                fig(exact(*base)),
                fig(exact(*share))
            )
        }
        Working::Allocation {
            fund,
            count,
            total_count,
            basis_date,
            share,
            ..
        } => match lang {
            Lang::Sv => format!(
                "{} kr × {count} / {total_count} kunder den {basis_date}, hela kronor efter största rest = {} kr",
                fig(fund.to_string()),
                fig(share.to_string())
            ),
            Lang::En => format!(
                "{fund} kr × {count} / {total_count} customers on {basis_date}, whole kronor by largest remainder = {share} kr"
            ),
        },
    }
}

/// An engine check's own words (when the rule file gives none).
fn check_words(c: EngineCheck, lang: Lang) -> Cow<'static, str> {
    Cow::Borrowed(match c {
        EngineCheck::Duplicate => lang.pick("dubblett", "duplicate"),
        EngineCheck::EndNotAfterStart => {
            lang.pick("sluttiden är inte efter starttiden", "end not after start")
        }
        EngineCheck::LongerThan { hours } => {
            return Cow::Owned(match lang {
                Lang::Sv => format!("längre än {hours} timmar"),
                Lang::En => format!("longer than {hours} hours"),
            });
        }
        EngineCheck::OutsideValidity => lang.pick("utanför avtalstiden", "outside validity"),
        EngineCheck::UnknownCustomer => {
            lang.pick("okänd kund den dagen", "unknown customer on that date")
        }
        EngineCheck::CustomerRowsOverlap => lang.pick(
            "kundens rader överlappar den dagen",
            "customer rows overlap on that date",
        ),
        EngineCheck::ProviderDiffers => lang.pick("annan utförare än kundens", "provider differs"),
    })
}

/// A not-paid reason as printed: the rule file's words as written, the
/// engine's in `lang`.
pub fn reason(r: &Reason, lang: Lang) -> Cow<'_, str> {
    match r {
        Reason::Check { words: Some(w), .. } => Cow::Borrowed(w),
        Reason::Check { check, words: None } => check_words(*check, lang),
        Reason::OutsideTimeRange => Cow::Borrowed(lang.pick(
            "för nära början av år 1 eller slutet av år 9999 för att placeras i lokal tid",
            "too near the ends of years 1–9999 to place in local time",
        )),
        Reason::UnknownProvider => Cow::Borrowed(lang.pick(
            "utföraren finns inte i providers.csv",
            "provider not in providers.csv",
        )),
        Reason::NoTermForVisit => Cow::Borrowed(lang.pick(
            "ersätts inte av något moment i avtalet",
            "not paid by any term of this contract",
        )),
        Reason::NoTermForEvent => Cow::Borrowed(lang.pick(
            "händelsetypen ersätts inte enligt avtalet",
            "event kind not paid by this contract",
        )),
        Reason::Rule(words) => Cow::Borrowed(words),
        // The reader's own message is English (it is the data error a
        // strict run prints); the Swedish reason says what and where only.
        Reason::Unreadable {
            column,
            message,
            text,
        } => Cow::Owned(match lang {
            Lang::Sv => format!("värdet `{text}` i kolumnen {column} kan inte läsas"),
            Lang::En => format!("unreadable {column}: {message} (`{text}`)"),
        }),
    }
}

/// The stable code of an engine reason (JSON `check`), so tools need not
/// read words; none for the rule file's own reasons (`annars "…"`).
pub fn check_code(r: &Reason) -> Option<Cow<'static, str>> {
    Some(Cow::Borrowed(match r {
        Reason::Check { check, .. } => match check {
            EngineCheck::Duplicate => "duplicate",
            EngineCheck::EndNotAfterStart => "end_not_after_start",
            EngineCheck::LongerThan { hours } => {
                return Some(Cow::Owned(format!("longer_than_{hours}h")));
            }
            EngineCheck::OutsideValidity => "outside_validity",
            EngineCheck::UnknownCustomer => "unknown_customer",
            EngineCheck::CustomerRowsOverlap => "customer_rows_overlap",
            EngineCheck::ProviderDiffers => "provider_differs",
        },
        Reason::OutsideTimeRange => "outside_time_range",
        Reason::UnknownProvider => "provider_not_listed",
        Reason::NoTermForVisit => "no_term",
        Reason::NoTermForEvent => "event_kind_not_paid",
        Reason::Unreadable { .. } => "unreadable",
        Reason::Rule(_) => return None,
    }))
}

/// A not-paid entry's kind: the output contract's code in JSON, a word in
/// the text view.
pub fn not_paid_kind(k: NotPaidKind, lang: Lang) -> &'static str {
    match (lang, k) {
        (Lang::En, k) => k.as_str(),
        (Lang::Sv, NotPaidKind::Visit) => "besök",
        (Lang::Sv, NotPaidKind::Event) => "händelse",
        (Lang::Sv, NotPaidKind::CustomerMonth) => "kundmånad",
        (Lang::Sv, NotPaidKind::CustomerRow) => "kundrad",
        (Lang::Sv, NotPaidKind::ProviderMonth) => "utförarmånad",
        (Lang::Sv, NotPaidKind::ProviderRow) => "utförarrad",
        (Lang::Sv, NotPaidKind::FileRow) => "filrad",
    }
}

/// A part's kind as the output contract writes it (JSON).
pub fn part_kind(kind: &PartKind) -> &'static str {
    match kind {
        PartKind::VisitTime => "visit_time",
        PartKind::VisitActivity => "visit_activity",
        PartKind::VisitStaff => "visit_staff",
    }
}

/// A part's kind in the text view.
pub fn part_word(kind: &PartKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::En, k) => part_kind(k),
        (Lang::Sv, PartKind::VisitTime) => "besökstid",
        (Lang::Sv, PartKind::VisitActivity) => "insats",
        (Lang::Sv, PartKind::VisitStaff) => "personal",
    }
}

/// The reconciliation's count of the visits a contract that prices none
/// (`besök ersätts inte`) counted without checking or listing them.
pub fn not_priced(lang: Lang) -> &'static str {
    lang.pick("ej prissatta", "not priced")
}
