//! The versions a changelog has entries for: its `## <version>` headings.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// The versions of the level-2 headings whose first word is a semantic
/// version (`## 1.1.0 (2026-05-01)`), in file order. Other headings are
/// ignored; Markdown is parsed, so `##` inside a code block is no heading.
pub fn changelog_versions(text: &str) -> Vec<semver::Version> {
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let h = heading.take().unwrap_or_default();
                let first = h.split_whitespace().next().unwrap_or("");
                if let Ok(v) = semver::Version::parse(first) {
                    out.push(v);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_order_and_only_real_ones() {
        let text = "# Changelog\n\n## 1.1.0 (2026-05-01)\n- more\n\n```\n## 9.9.9\n```\n\n## Notes\n\n## 1.0.0\n- first\n";
        let got: Vec<String> = changelog_versions(text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, ["1.1.0", "1.0.0"]);
    }
}
