//! A store in object storage (`--store s3://bucket/prefix`) against a real S3-compatible
//! server started on the loopback (moto's, from PyPI; `.ci/run` installs it): ingest and
//! queries give what a store on disk gives, `verify` checks it, an ingest killed before its
//! commit leaves nothing visible, and of writers that began from the same commit the first
//! to put the manifest wins (a conditional put) while the others start their commit again
//! from the new manifest.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{SEED, budsql, repo_root, text};

/// moto's S3 server, one request at a time (`threaded=False`), on the port given as argument.
const MOTO_SERIAL: &str = "import sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)
";

/// moto's S3 server on a free loopback port, with one bucket `budsql`; killed on drop.
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // moto's own `moto_server` serves requests on threads, and its conditional put is a
        // check then a write with no lock between: two writers' puts of the manifest can both
        // pass the check (seen in CI: a manifest listing a file its rival had superseded).
        // S3 itself makes the put atomic; served one request at a time, moto does too.
        let child = Command::new("python3")
            .args(["-c", MOTO_SERIAL, &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto's S3 server is needed: pip install 'moto[server]' (.ci/run installs it)");
        let moto = Moto { child, port };
        let mut answered = false;
        for _ in 0..400 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                answered = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(answered, "moto_server did not start on port {port}");
        let reply = moto.http("PUT", "/budsql");
        assert!(
            reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200"),
            "creating the bucket: {reply}"
        );
        moto
    }

    /// One plain HTTP request (moto does not check signatures); the reply's text.
    fn http(&self, method: &str, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        reply
    }

    /// The binary on the store `s3://budsql/<prefix>`, with the server's address and
    /// credentials in the usual variables.
    fn budsql(&self, prefix: &str, home: &Path) -> Command {
        let mut c = budsql(home);
        // (a temporary folder of the test's own: writers' staging folders are checked)
        let tmp = home.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        c.env("TMPDIR", tmp)
            .env("BUDSQL_STORE", format!("s3://budsql/{prefix}"))
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT", format!("http://127.0.0.1:{}", self.port))
            .env("AWS_ALLOW_HTTP", "true");
        c
    }

    /// Runs the binary on `s3://budsql/<prefix>` with `args`; its stdout (it must succeed).
    fn run<S: AsRef<std::ffi::OsStr>>(
        &self,
        prefix: &str,
        home: &Path,
        args: impl IntoIterator<Item = S>,
    ) -> String {
        let mut c = self.budsql(prefix, home);
        c.args(args);
        ok(c).0
    }

    /// Object keys under a prefix.
    fn keys(&self, prefix: &str) -> Vec<String> {
        let reply = self.http("GET", &format!("/budsql?list-type=2&prefix={prefix}/"));
        let mut keys: Vec<String> = reply
            .split("<Key>")
            .skip(1)
            .filter_map(|k| k.split("</Key>").next())
            .map(str::to_string)
            .collect();
        keys.sort();
        keys
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ok(mut c: Command) -> (String, String) {
    let o = c.output().unwrap();
    let (so, se) = text(&o);
    assert!(o.status.success(), "{so}{se}");
    (so, se)
}

fn sql(mut c: Command, sql: &str) -> String {
    c.args(["--format", "csv", "-c", sql]);
    ok(c).0
}

/// What the views hold, per document.
const FINGERPRINT: &str = "SELECT doc_id, source_path, \
   (SELECT count(*) FROM budget_lines b WHERE b.doc_id = u.doc_id) AS lines, \
   (SELECT sum(total) FROM budget_lines b WHERE b.doc_id = u.doc_id) AS total, \
   (SELECT count(*) FROM summary_lines s WHERE s.doc_id = u.doc_id) AS summary, \
   (SELECT count(*) FROM kpi_targets k WHERE k.doc_id = u.doc_id) AS kpi, \
   (SELECT count(*) FROM three_public t WHERE t.doc_id = u.doc_id) AS three \
 FROM units u ORDER BY doc_id";

fn generate(home: &Path, out: &Path, seed: &str, years: &str) {
    let mut c = budsql(home);
    c.args([
        "gen", "--seed", seed, "--units", "4", "--years", years, "--out",
    ])
    .arg(out);
    ok(c);
}

#[test]
fn a_store_in_object_storage_reads_as_one_on_disk() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let docs = home.join("gen");
    generate(home, &docs, "31", "2023,2024");
    let local = home.join("local");
    for store in [None, Some("one")] {
        let mut c = match store {
            Some(p) => moto.budsql(p, home),
            None => budsql(&local),
        };
        c.args(["ingest", SEED]).arg(docs.join("docs"));
        let (so, _) = ok(c);
        assert!(
            so.contains("ingested 9 document(s) (9 new, 0 replaced)"),
            "{so}"
        );
    }
    // the layout of a store on disk, the manifest beside it
    let keys = moto.keys("one");
    assert!(
        keys.contains(&"one/_budsql/manifest.json".to_string()),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|k| k.starts_with("one/budget_lines/year=2024/doc_kind=budget/part-")),
        "{keys:?}"
    );
    assert_eq!(
        sql(moto.budsql("one", home), FINGERPRINT),
        sql(budsql(&local), FINGERPRINT)
    );
    // every canonical query gives the same rows
    let mut queries: Vec<_> = std::fs::read_dir(repo_root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 10);
    for q in &queries {
        let run = |mut c: Command| {
            c.args(["--format", "csv", "-f"]).arg(q);
            ok(c).0
        };
        assert_eq!(
            run(moto.budsql("one", home)),
            run(budsql(&local)),
            "{}",
            q.display()
        );
    }
    // the same document again replaces itself: same rows, files rewritten in the bucket
    let so = moto.run("one", home, ["ingest", "--force", SEED]);
    assert!(so.contains("(0 new, 1 replaced)"), "{so}");
    assert_eq!(
        sql(moto.budsql("one", home), FINGERPRINT),
        sql(budsql(&local), FINGERPRINT)
    );
    let so = moto.run("one", home, ["verify"]);
    assert!(
        so.starts_with("store s3://budsql/one is intact: commit 2, 9 document(s)"),
        "{so}"
    );
    assert!(!so.contains("unreferenced"), "{so}");
    // the superseded files were deleted: the bucket holds the files the manifest lists
    let parquet = moto
        .keys("one")
        .iter()
        .filter(|k| k.ends_with(".parquet"))
        .count();
    assert!(
        so.contains(&format!(" {parquet} file(s)")),
        "{parquet}: {so}"
    );
    // a store never written reads as empty; verify says there is none
    assert_eq!(
        sql(moto.budsql("none", home), "SELECT count(*) AS n FROM units"),
        "n\n0\n"
    );
    let mut c = moto.budsql("none", home);
    c.arg("verify");
    let o = c.output().unwrap();
    assert!(!o.status.success());
    assert!(
        text(&o).1.contains("s3://budsql/none: no store here"),
        "{}",
        text(&o).1
    );
}

/// Spawns an ingest paused at `stage` (going on once `resume` exists, when given) and waits
/// until it says it paused; the thread gives the rest of its stderr.
fn paused(
    mut c: Command,
    stage: &str,
    resume: Option<&Path>,
) -> (Child, std::thread::JoinHandle<String>) {
    c.env("BUDSQL_PAUSE_AT", stage)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(r) = resume {
        c.env("BUDSQL_RESUME_FILE", r);
    }
    let mut child = c.spawn().unwrap();
    let err = child.stderr.take().unwrap();
    let mut lines = BufReader::new(err).lines();
    let want = format!("paused at {stage}");
    assert!(lines.any(|l| l.is_ok_and(|l| l.contains(&want))));
    // keep reading stderr so the child never blocks on a full pipe
    let rest =
        std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"));
    (child, rest)
}

/// Lets a writer held by [`paused`] go on (it waits for `resume` to exist) and waits for it:
/// its stdout (it must succeed).
fn resume_and_finish(
    resume: &Path,
    mut held: Child,
    stderr: std::thread::JoinHandle<String>,
) -> String {
    std::fs::write(resume, b"").unwrap();
    let status = held.wait().unwrap();
    let mut so = String::new();
    held.stdout.take().unwrap().read_to_string(&mut so).unwrap();
    let se = stderr.join().unwrap();
    assert!(status.success(), "{so}{se}");
    so
}

#[test]
fn killed_and_racing_writers_in_object_storage() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (x, y, z) = (home.join("x"), home.join("y"), home.join("z"));
    for (out, seed) in [(&x, "41"), (&y, "42"), (&z, "43")] {
        generate(home, out, seed, "2024");
    }
    moto.run("race", home, ["ingest", SEED]);
    let before = sql(moto.budsql("race", home), FINGERPRINT);
    let objects = moto.keys("race").len();

    // killed after uploading its files, before replacing the manifest
    let mut c = moto.budsql("race", home);
    c.arg("ingest").arg(x.join("docs"));
    let (mut killed, _) = paused(c, "uploaded", None);
    assert_eq!(sql(moto.budsql("race", home), FINGERPRINT), before);
    let staging = |pid: u32| -> usize {
        std::fs::read_dir(home.join("tmp"))
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy()
                    .starts_with(&format!("budsql-staging-{pid}-"))
            })
            .count()
    };
    let pid = killed.id();
    let _ = killed.kill();
    let _ = killed.wait();
    // the killed writer's staging folder is left behind, and removed by the next command
    assert_eq!(staging(pid), 1);
    let left = moto.keys("race").len() - objects;
    assert!(left > 0, "the killed ingest uploaded nothing");
    assert_eq!(sql(moto.budsql("race", home), FINGERPRINT), before);
    assert_eq!(staging(pid), 0);
    let so = moto.run("race", home, ["verify"]);
    assert!(
        so.contains(&format!("; {left} unreferenced file(s)")),
        "{so}"
    );
    // they are newer than the manifest, so they may be a writer's still at work: kept
    assert!(
        moto.run("race", home, ["vacuum"])
            .contains("vacuum: 0 unreferenced file(s) removed")
    );

    // two writers from the same commit: y pauses before its commit, z commits, y goes on
    // (Last-Modified has one-second resolution: the commit must be later than x's files)
    std::thread::sleep(Duration::from_millis(1100));
    let resume = home.join("resume");
    let mut c = moto.budsql("race", home);
    c.arg("ingest").arg(y.join("docs"));
    let (second, second_out) = paused(c, "uploaded", Some(&resume));
    let so = moto.run(
        "race",
        home,
        [OsStr::new("ingest"), z.join("docs").as_os_str()],
    );
    assert!(
        so.contains("ingested 4 document(s) (4 new, 0 replaced)"),
        "{so}"
    );
    assert!(!so.contains("try"), "{so}");
    // y's put names the manifest it began from: refused, y starts again from z's commit
    let so = resume_and_finish(&resume, second, second_out);
    assert!(
        so.contains("ingested 4 document(s) (4 new, 0 replaced)")
            && so.contains(
                "(committed on the 2nd try: other writers committed to the store meanwhile)"
            ),
        "{so}"
    );
    let units = |n: &str| {
        assert_eq!(
            sql(moto.budsql("race", home), "SELECT count(*) AS n FROM units"),
            format!("n\n{n}\n")
        );
    };
    units("9");
    // the lost attempt's own files are gone; vacuum now removes the killed ingest's files
    let so = moto.run("race", home, ["vacuum"]);
    assert!(
        so.contains(&format!("vacuum: {left} unreferenced file(s) removed")),
        "{so}"
    );
    let so = moto.run("race", home, ["verify"]);
    assert!(
        so.contains("is intact") && !so.contains("unreferenced"),
        "{so}"
    );
    // the killed one runs again and commits; y again replaces its own documents
    for d in [&x, &y] {
        moto.run(
            "race",
            home,
            [OsStr::new("ingest"), d.join("docs").as_os_str()],
        );
    }
    units("13");
}

/// A writer that read the manifest before another committed may find a file it must merge
/// gone (the other commit superseded and deleted it): it commits again on the new manifest.
#[test]
fn a_writer_whose_files_to_merge_are_gone_commits_again() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (y, z) = (home.join("y"), home.join("z"));
    generate(home, &y, "61", "2024");
    generate(home, &z, "62", "2024");
    moto.run("gone", home, ["ingest", SEED]);
    moto.run(
        "gone",
        home,
        [OsStr::new("ingest"), y.join("docs").as_os_str()],
    );
    // y again (same documents: it replaces them, so it must rewrite the files holding them),
    // held after closing its files, before it reads any committed file
    let resume = home.join("resume");
    let mut c = moto.budsql("gone", home);
    c.args(["ingest", "--force"]).arg(y.join("docs"));
    let (held, held_err) = paused(c, "closed", Some(&resume));
    // z commits meanwhile: its merges supersede and delete the files y's manifest lists
    let so = moto.run(
        "gone",
        home,
        [OsStr::new("ingest"), z.join("docs").as_os_str()],
    );
    assert!(so.contains("(4 new, 0 replaced)"), "{so}");
    let so = resume_and_finish(&resume, held, held_err);
    assert!(
        so.contains("(0 new, 4 replaced)") && so.contains("on the 2nd try"),
        "{so}"
    );
    let so = moto.run("gone", home, ["verify"]);
    assert!(
        so.contains("is intact") && !so.contains("unreferenced"),
        "{so}"
    );
    assert_eq!(
        sql(moto.budsql("gone", home), "SELECT count(*) AS n FROM units"),
        "n\n9\n"
    );
}

/// Workers sharing a store: three ingests of three input lists at once, none waiting for
/// another; every one commits (retrying when another got there first) and the store holds
/// all their documents, once.
#[test]
fn concurrent_writers_in_object_storage_all_commit() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let lists: Vec<_> = ["51", "52", "53"]
        .iter()
        .map(|seed| {
            let out = home.join(seed);
            generate(home, &out, seed, "2023,2024");
            out.join("docs")
        })
        .collect();
    let workers: Vec<Child> = lists
        .iter()
        .map(|docs| {
            let mut c = moto.budsql("shared", home);
            c.arg("ingest")
                .arg(docs)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for w in workers {
        let o = w.wait_with_output().unwrap();
        let (so, se) = text(&o);
        assert!(o.status.success(), "{so}{se}");
        assert!(
            so.contains("ingested 8 document(s) (8 new, 0 replaced)"),
            "{so}"
        );
    }
    assert_eq!(
        sql(
            moto.budsql("shared", home),
            "SELECT count(*) AS n, count(DISTINCT doc_id) AS docs FROM units"
        ),
        "n,docs\n24,24\n"
    );
    let so = moto.run("shared", home, ["verify"]);
    assert!(
        so.contains("is intact: commit 3, 24 document(s)") && !so.contains("unreferenced"),
        "{so}"
    );
}
