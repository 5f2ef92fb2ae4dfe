//! Text for the HTML pages (the diff's and the statement's): every text
//! from a rule file or the data goes through [`escape`] before it is
//! written into an element or an attribute, and [`json`] for what a page
//! embeds in a `<script type="application/json">`.

/// Text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text from the data or a rule file for a page: controls and bidi
/// overrides made visible (as the text view does), then escaped.
pub fn text(s: &str) -> String {
    escape(&super::printable::printable(s))
}

/// A value as JSON that cannot end the `<script>` element it is embedded
/// in: `<`, `>` and `&` written as `\u` escapes (they occur only inside
/// strings), as are the line separators JavaScript once refused.
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let raw = serde_json::to_string(v).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_data_is_text() {
        assert_eq!(
            escape("<b a=\"x\">'&'</b>"),
            "&lt;b a=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn embedded_json_cannot_close_its_script() {
        let j = json(&["</script><script>alert(1)</script>", "a&b"]);
        assert!(
            !j.contains('<') && !j.contains('>') && !j.contains('&'),
            "{j}"
        );
        let back: Vec<String> = serde_json::from_str(&j).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
    }
}
