//! The draw of international final tournaments (pure data): which teams
//! each group held, under the name the tournament gave it (`Group A`,
//! `Group 1`, `Final round`). The table is `draws.csv` beside this file,
//! which says where each entry comes from; a group found by who played whom
//! takes the name of the entry with exactly its teams
//! ([`crate::import::editions::stages`]).

use std::sync::OnceLock;

/// One group of a tournament's draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draw {
    /// As the results file names it: `FIFA World Cup`, `UEFA Euro`.
    pub tournament: String,
    /// The edition (season) as scoreledger names it: `1954`, `2020`.
    pub edition: String,
    /// The group's name, as the tournament gave it.
    pub group: String,
    /// Its teams, spelled as the international results file spells them.
    pub teams: Vec<String>,
    /// Where the entry comes from.
    pub source: String,
}

/// The table, as shipped.
const TABLE: &str = include_str!("draws.csv");

/// Every entry of the table, in its order.
pub fn entries() -> &'static [Draw] {
    static ENTRIES: OnceLock<Vec<Draw>> = OnceLock::new();
    ENTRIES.get_or_init(|| parse(TABLE).expect("src/import/draws.csv is checked by its tests"))
}

/// The entries of one edition of a tournament.
pub fn of(tournament: &str, edition: &str) -> Vec<&'static Draw> {
    entries()
        .iter()
        .filter(|d| d.tournament == tournament && d.edition == edition)
        .collect()
}

/// Reads the table: `tournament,edition,group,teams,source`, teams split by
/// `;`, lines starting with `#` left out.
fn parse(text: &str) -> Result<Vec<Draw>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for row in rdr.records() {
        let r = row.map_err(|e| e.to_string())?;
        let field = |i: usize| r.get(i).unwrap_or("").trim().to_string();
        let teams: Vec<String> = field(3).split(';').map(|t| t.trim().to_string()).collect();
        let d = Draw {
            tournament: field(0),
            edition: field(1),
            group: field(2),
            teams,
            source: field(4),
        };
        let line = r.position().map_or(0, |p| p.line());
        if d.teams.len() < 3 || d.teams.iter().any(String::is_empty) || d.source.is_empty() {
            return Err(format!(
                "line {line}: a group of three or more teams, with a source"
            ));
        }
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_table_reads_and_names_each_group_of_an_edition_once() {
        let all = entries();
        assert!(all.len() > 150, "{}", all.len());
        let mut seen = BTreeSet::new();
        for d in all {
            assert!(
                seen.insert((&d.tournament, &d.edition, &d.group)),
                "{d:?} twice"
            );
            let teams: BTreeSet<&String> = d.teams.iter().collect();
            assert_eq!(teams.len(), d.teams.len(), "a team twice in {d:?}");
        }
        let g = of("FIFA World Cup", "1954");
        assert_eq!(g.len(), 4);
        assert_eq!(g[2].group, "Group 3");
        assert!(g[2].teams.contains(&"Czechoslovakia".to_string()));
        assert_eq!(of("UEFA Euro", "2020").len(), 6);
        assert!(of("FIFA World Cup", "1934").is_empty());
        assert!(parse("tournament,edition,group,teams,source\nC,1,G,A;B,src\n").is_err());
    }
}
