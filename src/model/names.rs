//! Name handling: the display form that is stored, and the folded form that
//! is compared (`copa peru` finds `Copa Perú`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The stored form of a name: NFC, trimmed, inner whitespace collapsed to one space.
pub fn clean(s: &str) -> String {
    if s.is_ascii() {
        if !s.starts_with(' ')
            && !s.ends_with(' ')
            && !s.contains("  ")
            && !s.bytes().any(|b| b.is_ascii_whitespace() && b != b' ')
        {
            return s.to_string();
        }
        return s.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    }
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The comparison form: [`clean`], then compatibility forms folded
/// (NFKD: full-width `Ｌｏｓ` is `Los`, `ﬁ` is `fi`), accents removed and
/// lower-cased.
pub fn fold(s: &str) -> String {
    let cleaned = clean(s);
    if cleaned.is_ascii() {
        return cleaned.to_ascii_lowercase();
    }
    let stripped: String = cleaned.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    stripped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Characters a name may not hold: they print as nothing, or reorder what
/// follows (zero-width spaces and joiners, direction marks and overrides,
/// byte-order marks, soft hyphens).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

/// [`fold`] with a memory: names repeat thousands of times in an import.
/// Holds at most `Folder::LIMIT` names, then starts again.
#[derive(Default)]
pub(crate) struct Folder {
    /// A name as given -> its place in `folded`.
    map: rustc_hash::FxHashMap<String, u32>,
    folded: Vec<String>,
}

impl Folder {
    const LIMIT: usize = 100_000;

    /// `s` folded ([`fold`]), from memory when it was folded before (one
    /// lookup: this runs for every name of every event).
    pub(crate) fn fold(&mut self, s: &str) -> &str {
        let i = match self.map.get(s) {
            Some(&i) => i,
            None => {
                if self.folded.len() >= Self::LIMIT {
                    self.map.clear();
                    self.folded.clear();
                }
                let i = self.folded.len() as u32;
                self.folded.push(fold(s));
                self.map.insert(s.to_string(), i);
                i
            }
        };
        &self.folded[i as usize]
    }
}

/// Numbers for folded names: two names get the same number when they fold
/// the same.
#[derive(Default)]
pub(crate) struct Interner {
    raw: rustc_hash::FxHashMap<String, u32>,
    folded: rustc_hash::FxHashMap<String, u32>,
}

impl Interner {
    /// The number of `s`: the same for every spelling that folds the same, new
    /// numbers from 0 in order of first sight.
    pub(crate) fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.raw.get(s) {
            return i;
        }
        let n = self.folded.len() as u32;
        let i = *self.folded.entry(fold(s)).or_insert(n);
        self.raw.insert(s.to_string(), i);
        i
    }

    /// The number of spellings remembered.
    pub(crate) fn len(&self) -> usize {
        self.raw.len()
    }
}

/// What a name given by a user selects among known names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The same name (folded).
    Exact(String),
    /// The one name that `wanted` begins a word of, or else is part of.
    Unique(String),
    /// Several names fit; the better first (a name that begins with it, then shorter ones).
    Ambiguous(Vec<String>),
    /// No name fits.
    None,
}

/// Picks the name `wanted` means among `candidates`: the same name folded;
/// else the only one in which it begins a word (`premier league` finds
/// `English Premier League`); else the only one that contains it.
pub fn pick(wanted: &str, candidates: &[String]) -> Pick {
    let w = fold(wanted);
    let mut distinct: Vec<(String, &String)> = Vec::new();
    for c in candidates {
        let f = fold(c);
        if !distinct.iter().any(|(g, _)| *g == f) {
            distinct.push((f, c));
        }
    }
    if let Some((_, c)) = distinct.iter().find(|(f, _)| *f == w) {
        return Pick::Exact((*c).clone());
    }
    if w.is_empty() {
        return Pick::None;
    }
    let word_prefix = |f: &str| {
        f.starts_with(&w)
            || f.match_indices(' ')
                .any(|(i, _)| f[i + 1..].starts_with(&w))
    };
    for fits in [&word_prefix as &dyn Fn(&str) -> bool, &|f: &str| {
        f.contains(&w)
    }] {
        let mut found: Vec<(&String, &String)> = distinct
            .iter()
            .filter(|(f, _)| fits(f))
            .map(|(f, c)| (f, *c))
            .collect();
        match found.len() {
            0 => continue,
            1 => return Pick::Unique(found[0].1.clone()),
            _ => {
                found.sort_by_key(|(f, _)| (!f.starts_with(&w), f.len(), (*f).clone()));
                return Pick::Ambiguous(found.into_iter().map(|(_, c)| c.clone()).collect());
            }
        }
    }
    Pick::None
}

/// Up to `n` of `candidates` closest to `wanted` (edit distance between
/// folded names), closest first; only those within about a third of the
/// name's length.
pub fn nearest<'a>(wanted: &str, candidates: &'a [String], n: usize) -> Vec<&'a str> {
    let w = fold(wanted);
    let bound = (w.chars().count() / 3).max(2);
    // The distance to the whole name, or to its end from any word on
    // (`Espartanoz` is one letter from `Los Espartanos`).
    let distance = |c: &str| {
        let f = fold(c);
        std::iter::once(0)
            .chain(f.match_indices(' ').map(|(i, _)| i + 1))
            .map(|i| strsim::levenshtein(&w, &f[i..]))
            .min()
            .unwrap_or(usize::MAX)
    };
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (distance(c), c.as_str()))
        .filter(|(d, _)| *d <= bound)
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// True when two names are the same name for matching purposes.
pub fn same(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// Why a name cannot be stored, or `None` when it can.
pub fn problem(what: &str, s: &str) -> Option<String> {
    if s.is_empty() {
        return Some(format!("{what} is empty"));
    }
    if s.len() > 200 {
        return Some(format!("{what} is longer than 200 bytes"));
    }
    if s.chars().any(|c| c.is_control()) {
        return Some(format!(
            "{what} '{}' contains a control character",
            s.escape_debug()
        ));
    }
    if let Some(c) = s.chars().find(|c| is_invisible(*c)) {
        return Some(format!(
            "{what} '{}' contains an invisible or direction character (U+{:04X}); type the name without it",
            s.escape_debug(),
            c as u32
        ));
    }
    if fold(s).is_empty() {
        return Some(format!(
            "{what} '{}' has no letters or digits once accents are set aside",
            s.escape_debug()
        ));
    }
    None
}

/// The folded names joined to the folded name `name` by renames (folded
/// `(from, to)` pairs), `name` first.
pub(crate) fn rename_class(name: &str, pairs: &[(String, String)]) -> Vec<String> {
    let mut out = vec![name.to_string()];
    loop {
        let before = out.len();
        for (f, to) in pairs {
            if out.contains(f) && !out.contains(to) {
                out.push(to.clone());
            } else if out.contains(to) && !out.contains(f) {
                out.push(f.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Whether names `a` and `b` are one club: the same name folded, or names
/// renames (as `(from, to)` pairs, any spelling) join.
pub(crate) fn one_club(renames: &[(String, String)], a: &str, b: &str) -> bool {
    if same(a, b) {
        return true;
    }
    let pairs: Vec<(String, String)> = renames.iter().map(|(f, t)| (fold(f), fold(t))).collect();
    !pairs.is_empty() && rename_class(&fold(a), &pairs).contains(&fold(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        for (a, b) in [
            ("Copa Perú", "copa peru"),
            ("  Alianza   Atlético ", "alianza atletico"),
            ("DEPORTIVO EDUCACIÓN", "deportivo educacion"),
            ("Müller", "muller"),
        ] {
            assert_eq!(fold(a), b);
        }
        // Decomposed input (e + combining acute) folds like the precomposed one.
        assert!(same("Perú", "Peru\u{301}"));
        assert_eq!(clean("Peru\u{301}"), "Perú");
        assert!(!same("Los Espartanos", "Los Espartano"));
        // The ASCII fast path agrees with the general one.
        for s in ["  Preston  North End ", "A\tB", "abc", "ABC DEF", ""] {
            let general: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(clean(s), general);
            assert_eq!(fold(s), general.to_lowercase());
        }
    }

    #[test]
    fn problems() {
        assert!(problem("team", "").is_some());
        assert!(problem("team", "a\tb").is_some());
        assert!(problem("team", "Bella Esperanza").is_none());
        assert!(problem("team", "Perú").is_none());
        for hidden in [
            "Los\u{200B}Espartanos",
            "\u{FEFF}Los Espartanos",
            "Los \u{202E}sonatrapsE",
            "Los\u{2066} Espartanos",
        ] {
            assert!(
                problem("team", hidden).unwrap().contains("invisible"),
                "{hidden:?}"
            );
        }
        // Only a combining mark: nothing is left to compare.
        assert!(problem("team", "\u{301}").unwrap().contains("no letters"));
    }

    fn check_pick(wanted: &str, expect: Pick) {
        let known: Vec<String> = [
            "English Premier League",
            "English League",
            "Copa Perú",
            "Arsenal",
            "Arsenal de Sarandí",
            "Manchester City",
            "Manchester United",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(pick(wanted, &known), expect, "{wanted}");
    }

    #[test]
    fn names_are_picked_by_word_prefix_then_substring() {
        check_pick("copa peru", Pick::Exact("Copa Perú".into()));
        check_pick(
            "premier league",
            Pick::Unique("English Premier League".into()),
        );
        check_pick("arsenal", Pick::Exact("Arsenal".into()));
        check_pick("sarandi", Pick::Unique("Arsenal de Sarandí".into()));
        check_pick(
            "chester",
            Pick::Ambiguous(vec!["Manchester City".into(), "Manchester United".into()]),
        );
        check_pick(
            "english",
            Pick::Ambiguous(vec![
                "English League".into(),
                "English Premier League".into(),
            ]),
        );
        check_pick("united", Pick::Unique("Manchester United".into()));
        check_pick("bayern", Pick::None);
    }

    #[test]
    fn nearest_names_come_closest_first() {
        let known: Vec<String> = ["Los Espartanos", "Bella Esperanza", "Alianza Atlético"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            nearest("Los Espartanoss", &known, 3),
            vec!["Los Espartanos"]
        );
        assert_eq!(
            nearest("alianza atletico", &known, 3),
            vec!["Alianza Atlético"]
        );
        assert!(nearest("Universitario", &known, 3).is_empty());
    }

    #[test]
    fn compatibility_forms_fold_to_the_plain_name() {
        assert_eq!(fold("Ｌｏｓ Ｅｓｐａｒｔａｎｏｓ"), "los espartanos");
        assert!(same("ﬁorentina", "Fiorentina"));
        assert!(same("Los\u{00A0}Espartanos", "Los Espartanos"));
    }
}
