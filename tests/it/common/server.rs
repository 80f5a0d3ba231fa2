//! A real `scoreledger serve` on a free loopback port, stopped (SIGTERM)
//! when dropped.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub(crate) struct Server {
    child: Child,
    pub url: String,
    /// The write token, when the server has one.
    pub token: Option<String>,
}

impl Server {
    /// Starts the server on `db`, with a token file when given, and waits
    /// for its "listening on URL" line.
    pub(crate) fn start(db: &Path, token_file: Option<&Path>) -> Server {
        let extra: Vec<&str> = match token_file {
            Some(t) => vec!["--token-file", t.to_str().unwrap()],
            None => vec![],
        };
        Server::start_with(db, &extra)
    }

    /// Starts the server on `db` with extra arguments.
    pub(crate) fn start_with(db: &Path, extra: &[&str]) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("scoreledger"));
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--db"])
            .arg(db)
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.args(extra);
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the server did not start: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server {
            child,
            url,
            token: None,
        }
    }

    /// GET, answering (status, body).
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        answer(ureq::get(&format!("{}{path}", self.url)).call())
    }

    /// GET a JSON answer that must be 200.
    pub(crate) fn json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// POST a body with an optional bearer token.
    pub(crate) fn post(&self, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
        let mut req = ureq::post(&format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        if body.starts_with('{') {
            req = req.set("Content-Type", "application/json");
        }
        answer(req.send_string(body))
    }

    /// POST a body with the given headers only (no token, no content type
    /// unless given).
    pub(crate) fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut req = ureq::post(&format!("{}{path}", self.url));
        for (name, value) in headers {
            req = req.set(name, value);
        }
        answer(req.send_string(body))
    }

    /// The server's address, host:port, for raw connections.
    pub(crate) fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Stops the server with SIGTERM and returns its exit code.
    pub(crate) fn stop(mut self) -> Option<i32> {
        let code = self.terminate();
        std::mem::forget(self);
        code
    }

    /// Sends SIGTERM and returns at once (the server ends what it is
    /// answering first); [`Server::stop`] waits for it.
    pub(crate) fn ask_to_stop(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// Kills the server with SIGKILL: no clean-up at all.
    pub(crate) fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::forget(self);
    }

    fn terminate(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().ok().and_then(|s| s.code())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match r {
        Ok(resp) => (resp.status(), resp.into_string().unwrap()),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_string().unwrap()),
        Err(e) => panic!("request failed: {e}"),
    }
}
