//! Units of measure: kr, h, mån (month), st (count), and their quotients.
//! The checker multiplies and divides them so that `kr/h × h = kr` holds and
//! `h + kr` is refused.

use std::fmt;

use num_rational::Ratio;

/// Exponents of the base units. `kr/h` is `{kr: 1, h: -1}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unit {
    pub kr: i8,
    pub h: i8,
    pub month: i8,
    pub st: i8,
}

impl Unit {
    pub const NONE: Unit = Unit {
        kr: 0,
        h: 0,
        month: 0,
        st: 0,
    };
    pub const KR: Unit = Unit {
        kr: 1,
        ..Unit::NONE
    };
    pub const H: Unit = Unit { h: 1, ..Unit::NONE };
    pub const MONTH: Unit = Unit {
        month: 1,
        ..Unit::NONE
    };
    pub const ST: Unit = Unit {
        st: 1,
        ..Unit::NONE
    };

    pub fn inverse(self) -> Unit {
        Unit {
            kr: -self.kr,
            h: -self.h,
            month: -self.month,
            st: -self.st,
        }
    }

    pub fn is_none(self) -> bool {
        self == Unit::NONE
    }

    /// Parses a unit as written after a number, with the factor that brings
    /// the number to base units (`min` is a sixtieth of `h`, `%` a hundredth).
    pub fn parse(s: &str) -> Option<(Unit, Ratio<i128>)> {
        let atom = |a: &str| -> Option<(Unit, Ratio<i128>)> {
            Some(match a {
                "kr" => (Unit::KR, Ratio::from_integer(1)),
                "h" => (Unit::H, Ratio::from_integer(1)),
                "min" => (Unit::H, Ratio::new(1, 60)),
                "mån" => (Unit::MONTH, Ratio::from_integer(1)),
                "st" => (Unit::ST, Ratio::from_integer(1)),
                "%" => (Unit::NONE, Ratio::new(1, 100)),
                _ => return None,
            })
        };
        match s.split_once('/') {
            None => atom(s),
            Some((a, b)) => {
                let (ua, fa) = atom(a)?;
                let (ub, fb) = atom(b)?;
                Some(((ua / ub), fa / fb))
            }
        }
    }
}

impl std::ops::Mul for Unit {
    type Output = Unit;
    fn mul(self, o: Unit) -> Unit {
        Unit {
            kr: self.kr + o.kr,
            h: self.h + o.h,
            month: self.month + o.month,
            st: self.st + o.st,
        }
    }
}

impl std::ops::Div for Unit {
    type Output = Unit;
    fn div(self, o: Unit) -> Unit {
        Unit {
            kr: self.kr - o.kr,
            h: self.h - o.h,
            month: self.month - o.month,
            st: self.st - o.st,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            ("kr", self.kr),
            ("h", self.h),
            ("mån", self.month),
            ("st", self.st),
        ];
        let num: Vec<String> = parts
            .iter()
            .filter(|(_, e)| *e > 0)
            .map(|(n, e)| {
                if *e == 1 {
                    n.to_string()
                } else {
                    format!("{n}^{e}")
                }
            })
            .collect();
        let den: Vec<String> = parts
            .iter()
            .filter(|(_, e)| *e < 0)
            .map(|(n, e)| {
                if *e == -1 {
                    n.to_string()
                } else {
                    format!("{n}^{}", -e)
                }
            })
            .collect();
        match (num.is_empty(), den.is_empty()) {
            (true, true) => write!(f, "(no unit)"),
            (false, true) => write!(f, "{}", num.join("·")),
            (true, false) => write!(f, "1/{}", den.join("·")),
            (false, false) => write!(f, "{}/{}", num.join("·"), den.join("·")),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_units_factor_is_one_a_cell_can_hold() {
        let atoms = ["kr", "h", "min", "mån", "st", "%"];
        let mut units: Vec<String> = atoms.iter().map(|a| a.to_string()).collect();
        for a in atoms {
            for b in atoms {
                units.push(format!("{a}/{b}"));
            }
        }
        for u in units {
            let (_, factor) = Unit::parse(&u).expect("a unit");
            let held = crate::data::FACTORS
                .iter()
                .any(|(n, d)| num_rational::Ratio::new(*n, *d) == factor);
            assert!(held, "{u}: factor {factor} is not in data::FACTORS");
            // A number in that unit reads back exactly.
            let x = num_rational::Ratio::new(45i128, 1) * factor;
            let n = crate::data::Number::of(rust_decimal::Decimal::from(45), factor).unwrap();
            assert_eq!(n.exact(), x);
            assert_eq!(crate::data::Number::new(x).unwrap().exact(), x);
        }
    }

    use super::*;

    #[test]
    fn rate_times_time_is_money() {
        let (rate, _) = Unit::parse("kr/h").unwrap();
        assert_eq!((rate * Unit::H), Unit::KR);
        assert_eq!(rate.to_string(), "kr/h");
    }

    #[test]
    fn minutes_and_percent_scale() {
        assert_eq!(Unit::parse("min").unwrap(), (Unit::H, Ratio::new(1, 60)));
        assert_eq!(Unit::parse("%").unwrap(), (Unit::NONE, Ratio::new(1, 100)));
        let (u, f) = Unit::parse("kr/min").unwrap();
        assert_eq!((u, f), ((Unit::KR / Unit::H), Ratio::from_integer(60)));
        assert!(Unit::parse("kg").is_none());
    }

    #[test]
    fn display_of_compound_units() {
        assert_eq!((Unit::H / Unit::MONTH).to_string(), "h/mån");
        assert_eq!(Unit::NONE.to_string(), "(no unit)");
        assert_eq!((Unit::KR * Unit::KR).to_string(), "kr^2");
    }
}
