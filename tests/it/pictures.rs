//! Charts and reports: valid XML, and the same numbers as `standings`.

use crate::common;

use std::collections::BTreeMap;

use common::Env;
use serde_json::Value;

fn seeded() -> Env {
    let env = Env::new();
    env.import_seed();
    env
}

/// team -> [(x key, value)] from the circles of an SVG chart.
fn series(svg: &str, x_attr: &str, y_attr: &str) -> BTreeMap<String, Vec<(String, i64)>> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let mut out = BTreeMap::new();
    for g in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
    {
        let team = g.attribute("data-team").unwrap().to_string();
        let points = g
            .children()
            .filter(|c| c.has_tag_name("circle"))
            .map(|c| {
                (
                    c.attribute(x_attr).unwrap().to_string(),
                    c.attribute(y_attr).unwrap().parse().unwrap(),
                )
            })
            .collect();
        out.insert(team, points);
    }
    out
}

fn rows(v: &Value) -> BTreeMap<String, Value> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["team"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

#[test]
fn the_positions_chart_matches_the_tables_after_each_round() {
    let env = seeded();
    let svg = env.ok(&["chart", "--kind", "positions", "--output", "-"]);
    assert!(
        svg.contains("Copa Perú 1984 · Final stage — positions by round"),
        "title"
    );
    let s = series(&svg, "data-round", "data-pos");
    assert_eq!(s.len(), 6);
    for (team, points) in &s {
        assert_eq!(points.len(), 5, "{team}: one point per round");
        for (round, pos) in points {
            let table = rows(&env.json(&["standings", "--round", round, "--format", "json"]));
            assert_eq!(
                table[team]["pos"].as_i64().unwrap(),
                *pos,
                "{team} after round {round}"
            );
        }
    }
    let espartanos = &s["Los Espartanos"];
    assert!(
        espartanos
            .iter()
            .filter(|(r, _)| r != "1")
            .all(|(_, p)| *p == 1),
        "first after every round from round 2: {espartanos:?}"
    );
    // Labelled at both ends, one colour per team.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for team in s.keys() {
        let g = doc
            .descendants()
            .find(|n| n.attribute("data-team") == Some(team.as_str()))
            .unwrap();
        let labels = g.children().filter(|c| c.has_tag_name("text")).count();
        assert_eq!(labels, 2, "{team}");
    }
    let colours: std::collections::HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| n.attribute("stroke").unwrap())
        .collect();
    assert_eq!(colours.len(), 6);
}

#[test]
fn the_points_chart_matches_the_tables_by_date() {
    let env = seeded();
    let out = env.file("points.svg", "");
    env.ok(&[
        "chart",
        "--kind",
        "points",
        "--output",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let s = series(&svg, "data-date", "data-points");
    for (team, points) in &s {
        assert_eq!(points.len(), 5);
        for (date, pts) in points {
            let table = rows(&env.json(&["standings", "--as-of", date, "--format", "json"]));
            assert_eq!(
                table[team]["points"].as_i64().unwrap(),
                *pts,
                "{team} on {date}"
            );
        }
    }
}

#[test]
fn charts_honour_as_of_and_known_at() {
    let env = seeded();
    let s = series(
        &env.ok(&["chart", "--as-of", "1984-12-09", "--output", "-"]),
        "data-round",
        "data-pos",
    );
    assert!(s.values().all(|p| p.len() == 3), "{s:?}");
    let s = series(
        &env.ok(&["chart", "--known-at", "11", "--output", "-"]),
        "data-round",
        "data-pos",
    );
    assert!(s.values().all(|p| p.len() == 1));
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "0-5", "--reason", "typo"]);
    let now = series(
        &env.ok(&["chart", "--output", "-"]),
        "data-round",
        "data-pos",
    );
    let then = series(
        &env.ok(&["chart", "--known-at", "23", "--output", "-"]),
        "data-round",
        "data-pos",
    );
    assert_ne!(now["Alianza Atlético"], then["Alianza Atlético"]);
}

#[test]
fn the_report_is_one_valid_page_with_everything() {
    let env = seeded();
    let out = env.file("report.html", "");
    env.ok(&["report", "--output", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the report is well-formed");
    let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
    assert_eq!(count("svg"), 2, "both charts inline");
    assert_eq!(count("details"), 5, "one table per round");
    assert!(
        count("link") == 0 && count("script") == 0 && !html.contains("src=\"http"),
        "self-contained"
    );
    let head = env.head();
    let hash = head.split_whitespace().nth(1).unwrap();
    assert!(html.contains(hash), "names the head it was built from");
    assert!(
        html.contains("Los Espartanos") && html.contains("Carrasco, Luna (6 goals)"),
        "season facts"
    );
    // 15 results, each once.
    let results = doc
        .descendants()
        .filter(|n| n.has_tag_name("td") && n.attribute("class") == Some("l muted"))
        .count();
    assert_eq!(results, 15);
    // Names are escaped: a team called A&B <x> does not break the page.
    env.ok(&[
        "record",
        "--new-competition",
        "--competition",
        "Cup",
        "--season",
        "2001",
        "--stage",
        "Final",
        "--round",
        "1",
        "--date",
        "2001-05-01",
        "A&B <x>",
        "1-0",
        "C \"D\"",
    ]);
    let page = env.ok(&["report", "--competition", "Cup", "--output", "-"]);
    roxmltree::Document::parse_with_options(
        &page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(page.contains("A&amp;B &lt;x&gt;"));
}

/// Each team's points over its own first n counted results, computed here
/// from the results list, independently of the projector.
fn points_after_own_matches(env: &Env, team: &str, n: usize, win: i64) -> i64 {
    let results = env.json(&["results", "--format", "json"]);
    let mut own: Vec<(String, i64)> = results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["counts"].as_bool().unwrap_or(true))
        .filter_map(|r| {
            let (h, a) = (r["home"].as_str()?, r["away"].as_str()?);
            let (hg, ag) = (r["home_goals"].as_i64()?, r["away_goals"].as_i64()?);
            let date = r["date"].as_str()?.to_string();
            let pts = |gf: i64, ga: i64| match gf.cmp(&ga) {
                std::cmp::Ordering::Greater => win,
                std::cmp::Ordering::Equal => 1,
                std::cmp::Ordering::Less => 0,
            };
            if h == team {
                Some((date, pts(hg, ag)))
            } else if a == team {
                Some((date, pts(ag, hg)))
            } else {
                None
            }
        })
        .collect();
    own.sort();
    own.iter().take(n).map(|(_, p)| p).sum()
}

#[test]
fn a_league_without_rounds_gets_a_bump_chart_by_matchday() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (date, home, hg, ag, away) in [
        ("2001-08-18", "Alpha", 1, 0, "Beta"),
        ("2001-08-25", "Beta", 2, 0, "Gamma"),
        ("2001-09-01", "Gamma", 0, 0, "Alpha"),
        ("2001-09-08", "Alpha", 3, 0, "Gamma"),
        ("2001-09-15", "Delta", 1, 2, "Beta"),
        ("2001-09-22", "Delta", 4, 4, "Gamma"),
    ] {
        csv.push_str(&format!(
            "{date},2001,{home},{away},{hg}-{ag},{hg},{ag},1,1,0,0,\n"
        ));
    }
    let f = env.file("eng.csv", &csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let svg = env.ok(&["chart", "--kind", "positions", "--output", "-"]);
    assert!(
        svg.contains("positions by matchday"),
        "the default without rounds"
    );
    let s = series(&svg, "data-matchday", "data-pos");
    let most = 4; // Gamma plays four times, Alpha and Beta three, Delta twice.
    for (team, points) in &s {
        let expect: Vec<String> = (1..=most).map(|n| n.to_string()).collect();
        let got: Vec<String> = points.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(got, expect, "{team}: one point per matchday");
    }
    // Matchday n ranks each team by its own first n results: more points,
    // a higher place.
    for n in 1..=most {
        let ranked: Vec<(i64, i64, &str)> = s
            .iter()
            .map(|(t, pts)| {
                (
                    points_after_own_matches(&env, t, n, 3),
                    pts[n - 1].1,
                    t.as_str(),
                )
            })
            .collect();
        for a in &ranked {
            for b in &ranked {
                if a.0 > b.0 {
                    assert!(a.1 < b.1, "matchday {n}: {a:?} should be above {b:?}");
                }
            }
        }
    }
    let err = env.fails(2, &["chart", "--by", "round", "--output", "-"]);
    assert!(
        err.contains("no round numbers; use --by matchday or --by date"),
        "{err}"
    );
    let by_date = env.ok(&["chart", "--by", "date", "--output", "-"]);
    assert_eq!(series(&by_date, "data-date", "data-pos")["Alpha"].len(), 6);
}

#[test]
fn an_annulled_match_adds_no_column() {
    let env = seeded();
    let late = common::record_args(
        "6",
        "1984-12-20",
        "Los Espartanos",
        "1-0",
        "Bella Esperanza",
    );
    env.ok(&late);
    let id = env.match_id(6, "Los Espartanos");
    env.ok(&["annul", &id, "--reason", "played by mistake"]);
    for (by, attr, columns) in [("round", "data-round", 5), ("date", "data-date", 5)] {
        let svg = env.ok(&["chart", "--by", by, "--output", "-"]);
        for (team, points) in series(&svg, attr, "data-pos") {
            assert_eq!(points.len(), columns, "{team} by {by}: {points:?}");
        }
    }
    let svg = env.ok(&["chart", "--kind", "points", "--output", "-"]);
    assert!(
        !svg.contains("1984-12-20"),
        "no column for the annulled match's date"
    );
}
