//! How deep an expression or condition may nest, and the scan that keeps
//! deeper parentheses from pest.
//!
//! Each stage that walks an expression recurses: pest's generated parser
//! (about 3 KiB of stack per pair of parentheses in a debug build, 0.5 KiB
//! in a release build), the walk to the syntax tree, the checker, the
//! evaluator, and dropping the tree. One limit, [`MAX_DEPTH`], bounds all
//! of them: the scan here rejects deeper parentheses before pest sees them,
//! the walk in `parser.rs` rejects any deeper tree (so no deep tree is ever
//! built), and the checker rejects a condition that grows deeper once the
//! `villkor` it names are written out, so the evaluator never gets one.

use super::ast::Span;

/// The most levels an expression or condition may nest. A level is a pair
/// of parentheses, an `inte`, an `och`/`eller` list, a comparison, a
/// `summa för kunddagar`, and each operator of a chain: `a × b × c` is the
/// product `(a × b) × c`, two levels over its factors. A named `villkor`
/// counts where it is used, as if written out.
///
/// Why 64: the bundled contracts nest at most 7 levels by this count
/// (`orebro-nivå` needs 6 or 7; the others fit in 5), and a tender's
/// formula rarely more, so 64 leaves room. At 64 levels, parsing, checking
/// and paying the deepest accepted rule file fit in a 1 MiB thread in a
/// debug build, half of the 2 MiB a `cargo test` thread has (pest itself
/// gives up at about 690 pairs of parentheses on such a thread, and at
/// 2 860 on the 8 MiB main thread; 4 200 and 17 300 in a release build).
pub const MAX_DEPTH: usize = 64;

/// The first pair of parentheses nested `MAX_DEPTH` deep, whose content is
/// below level `MAX_DEPTH` whatever it is (`x` alone is level 1, `(x)` puts
/// `x` at level 2): from its `(` to the matching `)`, or the `(` alone when
/// it is never closed. Parentheses in comments and quoted texts do not
/// count. The walk to the syntax tree counts the same levels exactly; this
/// scan only keeps pest from recursing past them.
pub(super) fn too_deep_parentheses(src: &str) -> Option<Span> {
    let mut depth = 0usize;
    let mut opened = None;
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|(_, c)| *c != '\n' && *c != '\r').is_some() {},
            '"' => {
                while let Some((_, c)) = chars.next_if(|(_, c)| *c != '\n' && *c != '\r') {
                    if c == '"' {
                        break;
                    }
                }
            }
            '(' => {
                depth += 1;
                if depth == MAX_DEPTH && opened.is_none() {
                    opened = Some(i);
                }
            }
            ')' => {
                if depth == MAX_DEPTH
                    && let Some(start) = opened
                {
                    return Some(Span::new(start, i + 1));
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    opened.map(|start| Span::new(start, start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("betala {}x{}", "(".repeat(n), ")".repeat(n))
    }

    #[test]
    fn the_limit_itself_passes_one_more_does_not() {
        assert_eq!(too_deep_parentheses(&nested(MAX_DEPTH - 1)), None);
        let src = nested(MAX_DEPTH);
        let span = too_deep_parentheses(&src).unwrap();
        // The innermost pair: `(x)`.
        assert_eq!(&src[span.start..span.end], "(x)");
    }

    #[test]
    fn an_unclosed_parenthesis_is_underlined_alone() {
        let src = "(".repeat(MAX_DEPTH + 10);
        let span = too_deep_parentheses(&src).unwrap();
        assert_eq!((span.start, span.end), (MAX_DEPTH - 1, MAX_DEPTH));
    }

    #[test]
    fn comments_and_texts_do_not_count() {
        let deep = "(".repeat(MAX_DEPTH);
        assert_eq!(too_deep_parentheses(&format!("# {deep}\nx")), None);
        assert_eq!(too_deep_parentheses(&format!("# {deep}\rx")), None);
        assert_eq!(too_deep_parentheses(&format!("annars \"{deep}\" x")), None);
        // A text ends at the line's end even when its `"` is missing.
        assert!(too_deep_parentheses(&format!("\"x\n{deep}")).is_some());
    }

    #[test]
    fn sequential_groups_do_not_add_up() {
        let src = "(a) och (b) ".repeat(1000);
        assert_eq!(too_deep_parentheses(&src), None);
        assert_eq!(too_deep_parentheses(&")".repeat(100)), None);
    }
}
