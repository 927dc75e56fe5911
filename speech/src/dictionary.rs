//! Picks the grammar words out of the CMU pronouncing dictionary, so the
//! decoder holds a few hundred entries instead of 135,000 (faster load, less
//! memory), while the model folder keeps the whole dictionary: grammars can
//! change without rerunning the model pipeline.

use std::collections::BTreeSet;

use crate::SpeechError;

/// One dictionary entry: `word` or an alternative pronunciation `word(2)`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub word: String,
    pub phones: String,
}

/// The entries of `dictionary` (CMU format, one `word PH O N E S` a line) for
/// `words`, in file order (a base word before its alternatives, as the decoder
/// requires). Fails naming every word without an entry.
pub(crate) fn entries_for(
    dictionary: &str,
    words: &BTreeSet<String>,
) -> Result<Vec<Entry>, SpeechError> {
    let mut found = BTreeSet::new();
    let mut entries = Vec::new();
    for line in dictionary.lines() {
        let Some((head, phones)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let base = head.split_once('(').map_or(head, |(base, _)| base);
        if let Some(word) = words.get(base) {
            found.insert(word);
            entries.push(Entry {
                word: head.to_owned(),
                phones: phones.trim().to_owned(),
            });
        }
    }
    let missing: Vec<&str> = words
        .iter()
        .filter(|w| !found.contains(w))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        Ok(entries)
    } else {
        Err(SpeechError::WordsNotInDictionary(missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
prefer P R AH F ER
prefer(2) P R IH F ER
preferable P R EH F ER AH B AH L
skip S K IH P
";

    fn words(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn keeps_alternatives_in_order_and_skips_other_words() {
        let entries = entries_for(SAMPLE, &words(&["prefer", "skip"])).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.word.as_str()).collect();
        assert_eq!(names, ["prefer", "prefer(2)", "skip"]);
        assert_eq!(entries[1].phones, "P R IH F ER");
    }

    #[test]
    fn names_every_missing_word() {
        let err = entries_for(SAMPLE, &words(&["skip", "zorp", "blib"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the pronouncing dictionary has no entry for: blib, zorp"
        );
    }
}
