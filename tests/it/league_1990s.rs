//! The Football League 1992-93 to 1999-2000 (its three divisions below the
//! Premier League, stages `Division 2` to `Division 4` by tier) against the
//! published final tables: every pair of clubs level on points whose order
//! decided a title, a promotion, a play-off place or pairing, or a
//! relegation, where the published order is known to the author of this
//! test (issue 22, part 6). The results are engsoccerdata (GPL), read from
//! `../shared/data/` and never copied here; the test says so and checks
//! nothing when they are absent.

use crate::common;

use std::path::Path;

use common::Env;

/// (season, stage, club above, its published position, club below it,
/// level on points, what the order decided). The position of the club
/// below is one more.
const PAIRS: &[(&str, &str, &str, i64, &str, &str)] = &[
    ("1992-93", "Division 2", "West Ham United", 2, "Portsmouth", "88 points each: West Ham promoted second, Portsmouth to the play-offs"),
    ("1992-93", "Division 4", "Bury", 7, "Lincoln City", "63 each: Bury the last play-off place"),
    ("1993-94", "Division 3", "Plymouth Argyle", 3, "Stockport County", "85 each: the play-off semi-finals (Plymouth v Burnley, Stockport v York)"),
    ("1993-94", "Division 4", "Preston North End", 5, "Torquay United", "67 each: play-off places"),
    ("1994-95", "Division 2", "Wolverhampton Wanderers", 4, "Tranmere Rovers", "76 each: the play-off semi-finals (Bolton v Wolves, Reading v Tranmere)"),
    ("1995-96", "Division 2", "Leicester City", 5, "Charlton Athletic", "71 each, goals scored 66 to 57 (Charlton's goal difference better): Leicester v Stoke and Crystal Palace v Charlton in the semi-finals"),
    ("1995-96", "Division 2", "Portsmouth", 21, "Millwall", "52 each: Millwall relegated"),
    ("1995-96", "Division 3", "Crewe Alexandra", 5, "Bradford City", "73 each: the semi-finals (Notts County v Crewe, Blackpool v Bradford)"),
    ("1995-96", "Division 4", "Plymouth Argyle", 4, "Darlington", "78 each: the semi-finals (Plymouth v Colchester, Darlington v Hereford)"),
    ("1996-97", "Division 3", "Bristol City", 5, "Crewe Alexandra", "73 each: the semi-finals (Brentford v Bristol City, Luton v Crewe)"),
    ("1996-97", "Division 4", "Wigan Athletic", 1, "Fulham", "87 each, goals scored 84 to 72 (Fulham's goal difference better): Wigan champions"),
    ("1996-97", "Division 4", "Brighton & Hove Albion", 23, "Hereford United", "47 each (Brighton after a 2-point deduction), goals scored 53 to 50 (Hereford's goal difference better): Hereford relegated"),
    ("1997-98", "Division 2", "Sheffield United", 6, "Birmingham City", "74 each, goals scored 69 to 60 (Birmingham's goal difference better): Sheffield United the last play-off place"),
    ("1997-98", "Division 3", "Bristol Rovers", 5, "Fulham", "70 each, goals scored 70 to 60 (Fulham's goal difference better): the semi-finals (Northampton v Bristol Rovers, Grimsby v Fulham)"),
    ("1997-98", "Division 4", "Colchester United", 4, "Torquay United", "74 each: the semi-finals (Colchester v Barnet, Torquay v Scarborough)"),
    ("1998-99", "Division 2", "Port Vale", 21, "Bury", "47 each, goals scored 45 to 35 (Bury's goal difference better): Bury relegated"),
    ("1998-99", "Division 3", "Wigan Athletic", 6, "AFC Bournemouth", "76 each: Wigan the last play-off place"),
    ("1999-00", "Division 3", "Millwall", 5, "Stoke City", "82 each: the semi-finals (Wigan v Millwall, Gillingham v Stoke)"),
    ("1999-00", "Division 4", "Carlisle United", 23, "Chester", "39 each, goal difference -33 to -35 (Chester scored more): Chester relegated, goal difference first again"),
];

/// The engsoccerdata rows of 1992-93 to 1999-2000 below the Premier League,
/// and the deductions of those seasons, or None when the files are absent.
fn nineties() -> Option<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let read = |name: &str| std::fs::read_to_string(dir.join(name));
    let (Ok(results), Ok(deductions)) =
        (read("eng_league_1888_2024.csv"), read("eng_deductions.csv"))
    else {
        eprintln!(
            "note: {} lacks the engsoccerdata files; the 1990s tables were not checked",
            dir.display()
        );
        return None;
    };
    let in_range = |season: &str| (1992..=1999).contains(&season.parse::<i32>().unwrap_or(0));
    let results = keep(&results, |f| in_range(f[1]) && f[8] != "1");
    let deductions = keep(&deductions.replace('"', ""), |f| {
        in_range(f[0]) && f[2] != "1"
    });
    Some((results, deductions))
}

/// The header and the lines whose comma-split fields pass `wanted`.
fn keep(text: &str, wanted: impl Fn(&[&str]) -> bool) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines.filter(|l| wanted(&l.split(',').collect::<Vec<_>>())) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The published position of `team` in the program's table (None: absent).
fn position(env: &Env, season: &str, stage: &str, team: &str) -> Option<i64> {
    let v = env.json(&[
        "standings",
        "--competition",
        "English League",
        "--season",
        season,
        "--stage",
        stage,
        "--format",
        "json",
    ]);
    let rows = v["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["team"] == team)?;
    row["pos"].as_i64()
}

#[test]
fn football_league_pairs_level_on_points_are_in_the_published_order() {
    let Some((results, deductions)) = nineties() else {
        return;
    };
    let env = Env::new();
    for (name, text) in [("eng.csv", results), ("ded.csv", deductions)] {
        let file = env.file(name, &text);
        env.ok(&["import", file.to_str().unwrap()]);
    }
    let brighton = env.table(&[
        "--competition",
        "English League",
        "--season",
        "1996-97",
        "--stage",
        "Division 4",
    ])["Brighton & Hove Albion"]
        .clone();
    assert_eq!(
        brighton["points"], 47,
        "the deduction of 2 points: {brighton}"
    );
    let wrong: Vec<String> = PAIRS
        .iter()
        .filter_map(|(season, stage, above, pos, below, why)| {
            let got = (
                position(&env, season, stage, above),
                position(&env, season, stage, below),
            );
            (got != (Some(*pos), Some(pos + 1))).then(|| {
                format!("{season} {stage}: published {pos}. {above}, {}. {below} ({why}); program {got:?}", pos + 1)
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
