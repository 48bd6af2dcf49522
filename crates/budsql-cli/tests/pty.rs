//! The interactive shell driven through a pseudo-terminal, as a researcher types: Tab
//! completion of a unit name from the store, a statement over two lines recalled whole
//! from the history, `\set`, `\x`, `\o`, and Ctrl-C cancelling a long statement without
//! ending the session.

use std::time::Duration;

use expectrl::{Eof, Session};

use crate::util::{budsql, seeded};

#[test]
fn the_shell_at_a_terminal() {
    let store = seeded();
    let s = store.path();
    let out_file = s.join("o.txt");
    let mut cmd = budsql(s);
    cmd.env("BUDSQL_PAGER", "")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(60)));
    p.expect("budsql> ").unwrap();
    // (the store's values are read in the background as the shell starts)
    std::thread::sleep(Duration::from_millis(1500));

    // Tab completes a unit name inside a string literal
    p.send("SELECT region FROM units WHERE unit_name = '中共秦皇岛")
        .unwrap();
    p.send("\t").unwrap();
    p.send("';\r").unwrap();
    p.expect("秦皇岛经济技术开发区 │").unwrap();
    p.expect("(1 row)").unwrap();
    p.expect("budsql> ").unwrap();

    // a statement over two lines, then recalled from the history (arrow up) and run again
    p.send("SELECT 40 +\r").unwrap();
    p.send("2 AS answer;\r").unwrap();
    p.expect("│     42 │").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("\x1b[A").unwrap();
    p.send("\r").unwrap();
    p.expect("│     42 │").unwrap();
    p.expect("budsql> ").unwrap();

    // variables
    p.send("\\set y 2023\r").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("SELECT count(*) AS n FROM units WHERE year = :y;\r")
        .unwrap();
    p.expect("│ 1 │").unwrap();
    p.expect("budsql> ").unwrap();

    // expanded rows (each input sent at the prompt: typed ahead, it may be dropped when
    // the line editor takes the terminal back)
    p.send("\\x\r").unwrap();
    p.expect("Expanded display is on.").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("SELECT 1 AS one, '合计' AS name;\r").unwrap();
    p.expect("-[ RECORD 1 ]").unwrap();
    p.expect("name | 合计").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("\\x off\r").unwrap();
    p.expect("Expanded display is off.").unwrap();
    p.expect("budsql> ").unwrap();

    // results to a file, then back
    p.send(format!("\\o {}\r", out_file.display())).unwrap();
    p.expect("Results go to").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("SELECT 7 AS seven;\r").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("\\o\r").unwrap();
    p.expect("Results go to the terminal.").unwrap();
    p.expect("budsql> ").unwrap();

    // Ctrl-C cancels a long statement; the session goes on
    p.send("SELECT count(*) FROM generate_series(1, 100000000000) AS t;\r")
        .unwrap();
    std::thread::sleep(Duration::from_millis(2000));
    p.send("\x03").unwrap();
    p.expect("error: cancelled").unwrap();
    p.expect("budsql> ").unwrap();
    p.send("SELECT 5 AS five;\r").unwrap();
    p.expect("│    5 │").unwrap();
    p.expect("budsql> ").unwrap();

    // Ctrl-D ends the shell
    p.send("\x04").unwrap();
    p.expect(Eof).unwrap();

    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(written.contains("│     7 │"), "{written}");
    // the two-line statement is one history entry
    let history = std::fs::read_to_string(s.join("xdg/budsql/history")).unwrap();
    assert!(history.contains("SELECT 40 +\\n2 AS answer;"), "{history}");
}

#[test]
fn ingest_shows_a_progress_bar_on_a_terminal() {
    let store = tempfile::tempdir().unwrap();
    let mut cmd = budsql(store.path());
    cmd.args(["ingest", "datasets/corpus-national/text"]);
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(120)));
    // the bar's last state: every document, the rate and no failure
    p.expect(expectrl::Regex(r"32/32 documents, [0-9.]+ MB/s, 0 failed"))
        .unwrap();
    p.expect("ingested 32 document(s)").unwrap();
    p.expect(Eof).unwrap();
}
