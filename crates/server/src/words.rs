//! What the server writes for people to read (the case file's summary), in their language: the
//! app's own catalogues for every code it names (states, reasons, resolutions, outcomes, events,
//! parties), and the server's for its own labels. English where a language is not one of ours.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The languages, by the codes the app uses: English first, the fallback. Each has the app's
/// two catalogues (the first screens' words and the rest) and the server's own labels.
const LANGUAGES: [(&str, [&str; 3]); 3] = [
    (
        "en",
        [
            include_str!("../../../locales/en.json"),
            include_str!("../../../locales/en.more.json"),
            include_str!("../locales/en.json"),
        ],
    ),
    (
        "es",
        [
            include_str!("../../../locales/es.json"),
            include_str!("../../../locales/es.more.json"),
            include_str!("../locales/es.json"),
        ],
    ),
    (
        "zh-CN",
        [
            include_str!("../../../locales/zh-CN.json"),
            include_str!("../../../locales/zh-CN.more.json"),
            include_str!("../locales/zh-CN.json"),
        ],
    ),
];

/// One language's words.
pub struct Words {
    code: &'static str,
    sentences: HashMap<String, String>,
}

static ALL: LazyLock<Vec<Words>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|(code, catalogues)| {
            let mut sentences = HashMap::new();
            for json in catalogues {
                let part: HashMap<String, String> =
                    serde_json::from_str(json).expect("a catalogue is JSON");
                sentences.extend(part);
            }
            Words { code, sentences }
        })
        .collect()
});

impl Words {
    /// The language asked for by its code (`es`, `zh-CN`), else the first of `accept` (an
    /// `Accept-Language` header) that is ours, else English.
    pub fn choose(asked: Option<&str>, accept: Option<&str>) -> &'static Words {
        let wanted = asked.into_iter().chain(
            accept
                .unwrap_or_default()
                .split(',')
                .map(|tag| tag.split(';').next().unwrap_or_default().trim()),
        );
        for tag in wanted {
            let found = ALL.iter().find(|w| {
                w.code.eq_ignore_ascii_case(tag)
                    || w.code.split('-').next() == tag.split('-').next().filter(|p| !p.is_empty())
            });
            if let Some(words) = found {
                return words;
            }
        }
        &ALL[0]
    }

    /// The language's code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The sentence of `key`; the key itself if the language lacks it (the catalogue tests
    /// forbid that).
    pub fn t(&self, key: &str) -> String {
        self.sentences
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The words for `code` of `family` (`state`, `reason`…).
    pub fn of(&self, family: &str, code: &str) -> String {
        self.t(&format!("{family}.{code}"))
    }

    /// The sentence of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.t(key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label_and_is_chosen_by_code_or_header() {
        let labels = |own: &str| {
            let map: HashMap<String, String> = serde_json::from_str(own).unwrap();
            let mut keys: Vec<String> = map.into_keys().collect();
            keys.sort();
            keys
        };
        let english = labels(LANGUAGES[0].1[2]);
        for (code, [_, _, own]) in LANGUAGES {
            assert_eq!(labels(own), english, "{code}");
        }
        // The words of the case page come from the app's second half.
        assert_ne!(
            Words::choose(Some("es"), None).t("trigger.refund_agreed"),
            "trigger.refund_agreed"
        );
        assert_eq!(Words::choose(Some("es"), None).code(), "es");
        assert_eq!(Words::choose(None, Some("zh-CN,zh;q=0.9")).code(), "zh-CN");
        assert_eq!(
            Words::choose(None, Some("es-MX;q=0.8, en;q=0.5")).code(),
            "es"
        );
        assert_eq!(Words::choose(Some("fr"), Some("de")).code(), "en");
        let es = Words::choose(Some("es"), None);
        assert_eq!(es.of("reason", "defective"), es.t("reason.defective"));
        assert_ne!(es.t("case_file.title"), "case_file.title");
        assert_eq!(
            es.fill("case_file.note", &[("note", "frágil")]),
            "nota: frágil"
        );
    }
}
