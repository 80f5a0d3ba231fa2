//! The page in a real browser: headless Chromium driven over WebDriver
//! (chromedriver, spoken to with plain HTTP). It picks Copa Perú 1984,
//! moves the slider, steps to the end, goes back before a correction, checks
//! a proof in the page, and takes a screenshot into target/browser/.
//! Chromium comes from Debian (`scripts/install-browser.sh`, which
//! `scripts/test.sh` and CI run); without it this test fails and says so.

use crate::common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::Server;
use common::Env;
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    base: String,
}

impl Browser {
    fn start(profile: &Path) -> Browser {
        for p in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                Path::new(p).exists(),
                "{p} is missing: headless Chromium is not installed. Install it with \
                 `bash scripts/install-browser.sh` (Debian's chromium and chromium-driver); \
                 CI installs it and must run this test"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{root}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1400,1100",
                         format!("--user-data-dir={}", profile.display())],
            }
        }}});
        let v = send("POST", &format!("{root}/session"), Some(caps));
        let id = v["sessionId"].as_str().expect("a session id").to_string();
        Browser {
            driver,
            base: format!("{root}/session/{id}"),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        send(method, &format!("{}{path}", self.base), body)
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().expect("an element").to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn keys(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits until `js` (an expression) is true, else fails with `what`.
    fn wait(&self, js: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.script(&format!("return !!({js});")) == json!(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: page shows {}",
                self.table()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The table as shown: [pos, move, team, P, W, D, L, GF, GA, GD, Pts].
    fn table(&self) -> Value {
        self.script(
            "return [...document.querySelectorAll('#table tbody tr')]\
             .map(tr => [...tr.cells].map(c => c.textContent));",
        )
    }

    fn screenshot(&self, to: &Path) {
        use base64::Engine;
        let v = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn send(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, url);
    let r = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match r {
        Ok(resp) => resp.into_json::<Value>().unwrap()["value"].clone(),
        Err(ureq::Error::Status(code, resp)) => {
            panic!(
                "WebDriver {method} {url}: {code} {}",
                resp.into_string().unwrap()
            )
        }
        Err(e) => panic!("WebDriver {method} {url}: {e}"),
    }
}

/// (team, points) of the CLI's table, in order.
fn expected(env: &Env, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["standings", "--format", "json"];
    args.extend_from_slice(extra);
    env.json(&args)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["team"].as_str().unwrap().to_string(),
                r["points"].to_string(),
            )
        })
        .collect()
}

fn shown(table: &Value) -> Vec<(String, String)> {
    table
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[2].as_str().unwrap().to_string(),
                r[10].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A JS condition: the table's team and points columns are these.
fn table_is(rows: &[(String, String)]) -> String {
    let want = serde_json::to_string(rows).unwrap();
    format!(
        "JSON.stringify([...document.querySelectorAll('#table tbody tr')]\
         .map(tr => [tr.cells[2].textContent, tr.cells[10].textContent])) === {want:?}"
    )
}

/// The archive served, and the page in a browser with the first
/// competition and season of its lists picked.
fn first_stage_in_a_browser(env: &Env) -> (Server, Browser) {
    let server = Server::start(&env.db(), None);
    let browser = Browser::start(&env.dir_path().join("chromium-profile"));
    browser.go(&format!("{}/", server.url));
    browser.wait(
        "document.body.dataset.ready === '1'",
        "the page did not load",
    );
    browser.click("#competition");
    browser.click("#competition option:first-child");
    browser.click("#season option:first-child");
    (server, browser)
}

#[test]
fn the_page_travels_through_copa_peru_1984_in_headless_chromium() {
    let env = Env::new();
    env.import_seed();
    // A late correction: round 5 was 3-1, which leaves 1984-12-09 alone.
    let id = env.match_id(5, "Alianza Atlético");
    env.ok(&["correct", &id, "1-1", "--reason", "score mistyped"]);
    let on_9 = expected(&env, &["--as-of", "1984-12-09"]);
    let at_end = expected(&env, &[]);
    let before_correction = expected(&env, &["--known-at", "23"]);
    assert_ne!(
        at_end, before_correction,
        "the correction changes the table"
    );
    assert_eq!(on_9[0], ("Los Espartanos".into(), "6".into()));
    assert_eq!(on_9[1], ("Guardia Republicana".into(), "3".into()));
    assert_eq!(at_end[0], ("Los Espartanos".into(), "10".into()));

    // Pick Copa Perú 1984 from the lists.
    let (_server, browser) = first_stage_in_a_browser(&env);
    assert_eq!(
        browser.script("return [$('competition').value, $('season').value, $('stage').value];"),
        json!(["Copa Perú", "1984", "Final stage"])
    );

    // Drag the slider (with the keyboard) to 1984-12-09.
    browser.keys("#step", "\u{E011}"); // Home
    for _ in 0..10 {
        if browser.script("return $('step-label').textContent;") == json!("1984-12-09") {
            break;
        }
        browser.keys("#step", "\u{E014}"); // Right
    }
    browser.wait(&table_is(&on_9), "the table on 1984-12-09");
    assert_eq!(shown(&browser.table())[..2], on_9[..2]);
    let moves = browser.script("return [...document.querySelectorAll('#table tbody tr')].map(tr => tr.cells[1].textContent);");
    assert!(
        moves.as_array().unwrap().iter().any(|m| m != ""),
        "each team's move since the previous step is shown: {moves}"
    );

    // Step to the end.
    browser.keys("#step", "\u{E010}"); // End
    browser.wait(&table_is(&at_end), "the table at the end");
    assert_eq!(shown(&browser.table())[0].1, "10");

    // As the archive knew it before the correction: the table changes back.
    browser.wait(
        "document.querySelector('#corrections button.before')",
        "the correction is listed",
    );
    browser.click("#corrections button.before");
    browser.wait(
        &table_is(&before_correction),
        "the table before the correction",
    );
    browser.click("#latest");
    browser.wait(&table_is(&at_end), "the latest table again");

    // A match's history, and its inclusion proof checked in the page.
    browser.wait(
        "document.querySelector('#results li')",
        "the results of the step",
    );
    browser.click("#results li");
    browser.wait(
        "document.querySelector('#history button.check-proof')",
        "the history",
    );
    browser.click("#history button.check-proof");
    browser.wait(
        "document.querySelector('#proof .ok')",
        "the proof checked in the page",
    );
    let chart = browser.script("return document.querySelector('#chart img').naturalWidth;");
    assert!(chart.as_u64().unwrap_or(0) > 0, "the race chart is drawn");

    // Nothing was fetched from another host.
    let hosts = browser.script(
        "return performance.getEntriesByType('resource').map(r => new URL(r.name).host)\
         .filter(h => h !== location.host);",
    );
    assert_eq!(hosts, json!([]));
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser/copa-peru-1984.png");
    browser.screenshot(&shot);
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}

#[test]
fn the_pages_blake3_is_blake3() {
    let env = Env::new();
    env.import_seed();
    let server = Server::start(&env.db(), None);
    let browser = Browser::start(&env.dir_path().join("chromium-profile"));
    browser.go(&format!("{}/", server.url));
    browser.wait("typeof BLAKE3 === 'object'", "blake3.js did not load");
    let input = |n: usize| (0..n).map(|i| (i % 251) as u8).collect::<Vec<u8>>();
    for n in [
        0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 2049, 3073, 8193, 31744, 102400,
    ] {
        let js = browser.script(&format!(
            "return BLAKE3.hex(BLAKE3.hash(Uint8Array.from({{length: {n}}}, (_, i) => i % 251)));"
        ));
        assert_eq!(
            js,
            json!(blake3::hash(&input(n)).to_hex().to_string()),
            "{n} bytes"
        );
        let js = browser.script(&format!(
            "return BLAKE3.hex(BLAKE3.deriveKey('scoreledger 2026-11 event v1', Uint8Array.from({{length: {n}}}, (_, i) => i % 251)));"
        ));
        let want = blake3::derive_key("scoreledger 2026-11 event v1", &input(n));
        assert_eq!(js, json!(hex::encode(want)), "derive_key, {n} bytes");
    }
}

/// A table ranked on points per game (League One 2019-20, cut short)
/// shows them in the page, at the season's end only.
#[test]
fn the_page_shows_points_per_game_where_they_rank_the_table() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (date, home, away, hg, ag) in [
        ("2019-08-03", "Alpha", "Gamma", 1, 0),
        ("2019-08-10", "Alpha", "Delta", 1, 0),
        ("2019-08-17", "Gamma", "Alpha", 1, 0),
        ("2019-08-24", "Beta", "Delta", 2, 0),
    ] {
        let result = if hg > ag { "H" } else { "A" };
        csv.push_str(&format!(
            "{date},2019,{home},{away},{hg}-{ag},{hg},{ag},3,3,{},{},{result}\n",
            hg + ag,
            hg - ag
        ));
    }
    let f = env.file("2019.csv", &csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let at_end = expected(&env, &[]);
    assert_eq!(at_end[0].0, "Beta", "ranked on points per game");
    let (_server, browser) = first_stage_in_a_browser(&env);
    browser.keys("#step", "\u{E010}"); // End
    browser.wait(&table_is(&at_end), "the table at the end");
    let head = browser.script(
        "return [...document.querySelectorAll('#table thead th')].map(th => th.textContent);",
    );
    assert_eq!(
        head.as_array().unwrap().last(),
        Some(&json!("PPG")),
        "{head}"
    );
    assert_eq!(browser.table()[0][11], json!("3.000"));
    // The first step (one result) is before the season's end: points.
    browser.keys("#step", "\u{E011}"); // Home
    browser.wait(
        "[...document.querySelectorAll('#table thead th')].pop().textContent === 'Pts'",
        "no PPG before the end",
    );
}
