//! Charts and reports: valid XML, and the same numbers as `standings`.

mod common;

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
