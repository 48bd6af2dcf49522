//! `budsql report`: the HTML page written from a real store, checked as HTML (every figure
//! links to a document listed on the page) and rendered in headless Chromium (no console
//! error; the screenshot has the expected layout: the header band, the bars of spending by
//! class above the split bars).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{budsql, filters, text};

/// Two documents of one unit (a 决算 and the next year's 预算) and three of another.
const DOCS: &[&str] = &[
    "datasets/corpus-shanghai/text/sh_putuo_caizhengju_2024_dept_final.txt",
    "datasets/corpus-shanghai/text/sh_putuo_caizhengju_2025_dept_budget.txt",
    "datasets/corpus-shanghai/text/sh_putuo_wanlijiedao_2023_dept_budget.txt",
    "datasets/corpus-shanghai/text/sh_putuo_wanlijiedao_2024_dept_budget.txt",
    "datasets/corpus-shanghai/text/sh_putuo_wanlijiedao_2025_dept_budget.txt",
];

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = budsql(dir.path())
        .arg("ingest")
        .args(DOCS)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    dir
}

fn report(store: &Path, args: &[&str], out: &Path) -> (bool, String, String) {
    let o = budsql(store)
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let (a, b) = text(&o);
    (o.status.success(), a, b)
}

/// Every figure's link goes to a document row of the page.
fn links_resolve(html: &str) -> usize {
    let mut n = 0;
    for part in html.split("href=\"#doc-").skip(1) {
        let id = part.split('"').next().unwrap();
        assert!(
            html.contains(&format!("id=\"doc-{id}\"")),
            "no row for doc-{id}"
        );
        n += 1;
    }
    n
}

fn chromium() -> PathBuf {
    let candidates = [
        std::env::var("BUDSQL_CHROMIUM").unwrap_or_default(),
        "/usr/bin/chromium".into(),
        "/usr/bin/chromium-browser".into(),
        "/usr/bin/google-chrome".into(),
    ];
    candidates
        .iter()
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Chromium is needed for the report test: `apt-get install chromium` (.ci/run installs it)")
}

/// Renders `html` in headless Chromium: (PNG bytes, Chromium's log).
fn render(html: &Path, dir: &Path) -> (Vec<u8>, String) {
    let png = dir.join("shot.png");
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2400",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let (_, log) = text(&out);
    assert!(out.status.success(), "{log}");
    (std::fs::read(&png).unwrap(), log)
}

/// The rows (y) of the image where a pixel of `rgb` stands (within a small distance).
fn rows_with(img: &[u8], width: usize, rgb: [u8; 3]) -> Vec<usize> {
    let near = |p: &[u8]| {
        p.iter()
            .zip(rgb)
            .all(|(a, b)| (i16::from(*a) - i16::from(b)).abs() <= 6)
    };
    img.chunks(width * 4)
        .enumerate()
        .filter(|(_, row)| row.chunks(4).filter(|p| near(p)).count() >= 20)
        .map(|(y, _)| y)
        .collect()
}

#[test]
fn unit_report_renders_in_headless_chromium() {
    let s = store();
    let dir = s.path();
    let html_path = dir.join("report.html");
    let (ok, out, err) = report(dir, &["--unit", "上海市普陀区财政局"], &html_path);
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!("wrote {} (2 document(s)", html_path.display())),
        "{out}"
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    // self-contained: no script, no stylesheet or image from elsewhere
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    for id in [
        "classes",
        "splits",
        "three-public",
        "execution",
        "disclosure",
        "checks",
        "units",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // the 2025 budget's spending on 201 一般公共服务支出, linked to its source line
    assert!(
        html.contains(
            "caizhengju_2025_dept_budget.txt, line 197\" data-doc=\"3e18dbdd62b09afe\" \
             data-line=\"197\">2218.64408</a>"
        ),
        "{html}"
    );
    assert!(links_resolve(&html) > 30);

    let (png, log) = render(&html_path, dir);
    // no console message from the page (it has no script: none can fail)
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "{console:?}");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 2400));
    let img = if info.color_type == png::ColorType::Rgba {
        buf
    } else {
        buf.chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    };
    let w = info.width as usize;
    // the header band across the top
    let header = rows_with(&img, w, [0x1f, 0x3b, 0x5a]);
    assert!(header.first().is_some_and(|y| *y < 5), "{header:?}");
    // the spending bars, then the split bars (blue and orange) below them
    let blue = rows_with(&img, w, [0x4e, 0x79, 0xa7]);
    let orange = rows_with(&img, w, [0xf2, 0x8e, 0x2b]);
    assert!(blue.len() > 40, "{}", blue.len());
    assert!(!orange.is_empty());
    assert!(
        blue.first() < orange.first(),
        "{:?} {:?}",
        blue.first(),
        orange.first()
    );
}

#[test]
fn region_report_and_errors() {
    let s = store();
    let dir = s.path();
    let html_path = dir.join("region.html");
    let (ok, out, err) = report(dir, &["--region", "上海市普陀区"], &html_path);
    assert!(ok, "{err}");
    assert!(out.contains("(5 document(s)"), "{out}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("上海市普陀区人民政府万里街道办事处"));
    links_resolve(&html);

    let mut rendered = String::new();
    for args in [
        &["--unit", "普陀"][..],
        &["--unit", "没有这个单位"][..],
        &["--region", "上海市普陀区", "--year", "1999"][..],
        &[][..],
    ] {
        let (ok, o, e) = report(dir, args, &dir.join("x.html"));
        rendered.push_str(&format!("$ report {}\nok: {ok}\n{o}{e}\n", args.join(" ")));
    }
    filters(dir).bind(|| insta::assert_snapshot!("report_errors", rendered));
}
