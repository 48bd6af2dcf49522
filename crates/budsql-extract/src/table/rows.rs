//! Physical lines grouped into logical rows: a name wrapped above or below its row,
//! figures printed on the line above their label, a code split over two lines.

use super::*;

/// Groups body lines into logical rows. Every anchor line is a row. A figures-only line
/// gives its figures to the nearer neighbouring row that has none in those columns (a 决算
/// prints some figures on the line above their row). A run of text lines between two rows
/// is a wrapped name: all of it goes to the row that lacks a name where it stands (to the
/// row above when both or neither lack one, unless a gap sets it apart from that row);
/// when both lack one, the run is shared at its widest gap (a name centred on its code
/// line wraps both above and below it).
/// A figures-only line with a name wrapped around it (`市特色会展产业链党委` / figures /
/// `党建工作经费`, the text lines right above and below it) whose figures the rows above and
/// below already have in the same columns is a row of its own: joined to either, one of
/// its figures would stand where that row's own is.
fn own_rows_of_wrapped_figures(
    body: &[&TLine],
    columns: &[Column],
    mut kinds: Vec<Kind>,
) -> Vec<Kind> {
    let figure_cols = |l: &TLine| -> Vec<usize> {
        place(columns, l)
            .iter()
            .filter(|p| p.figure)
            .filter_map(|p| p.col)
            .collect()
    };
    let mut promote: Vec<usize> = Vec::new();
    for (i, l) in body.iter().enumerate() {
        if kinds.get(i) != Some(&Kind::FiguresOnly) {
            continue;
        }
        let text_beside = |j: Option<usize>| {
            j.and_then(|j| body.get(j).map(|x| (j, x)))
                .is_some_and(|(j, x)| {
                    x.page == l.page
                        && kinds.get(j) == Some(&Kind::Text)
                        && x.line_no.abs_diff(l.line_no) <= 1
                })
        };
        if !(text_beside(i.checked_sub(1)) && text_beside(Some(i + 1))) {
            continue;
        }
        let mine = figure_cols(l);
        if mine.is_empty() {
            continue;
        }
        // the nearest row on each side, on the same page; none is no place either
        let taken = |k: Option<usize>| {
            k.and_then(|k| body.get(k))
                .is_none_or(|a| a.page != l.page || figure_cols(a).iter().any(|c| mine.contains(c)))
        };
        let up = (0..i).rev().find(|&k| kinds.get(k) == Some(&Kind::Anchor));
        let down = (i + 1..body.len()).find(|&k| kinds.get(k) == Some(&Kind::Anchor));
        if (up.is_some() || down.is_some()) && taken(up) && taken(down) {
            promote.push(i);
        }
    }
    for i in promote {
        if let Some(k) = kinds.get_mut(i) {
            *k = Kind::Anchor;
        }
    }
    kinds
}

pub(super) fn assemble(
    body: &[&TLine],
    columns: &[Column],
    item: fn(&TLine) -> bool,
) -> Vec<Record> {
    let kinds: Vec<Kind> = body
        .iter()
        .map(|l| match kind(l) {
            Kind::Text if item(l) => Kind::Anchor,
            k => k,
        })
        .collect();
    let kinds = own_rows_of_wrapped_figures(body, columns, kinds);
    let mut records: Vec<Record> = Vec::new();
    let mut anchor_of: Vec<Option<usize>> = vec![None; body.len()];
    for (i, l) in body.iter().enumerate() {
        if kinds.get(i) == Some(&Kind::Anchor) {
            if let Some(slot) = anchor_of.get_mut(i) {
                *slot = Some(records.len());
            }
            records.push(Record {
                line_no: l.line_no,
                page: l.page,
                cells: place(columns, l),
                above: Vec::new(),
                below: Vec::new(),
            });
        }
    }
    if records.is_empty() {
        // figures without any label: one row per line
        return body
            .iter()
            .map(|l| Record {
                line_no: l.line_no,
                page: l.page,
                cells: place(columns, l),
                above: Vec::new(),
                below: Vec::new(),
            })
            .collect();
    }
    // vertical distance between two lines, in lines of the layout text (a blank line
    // between them is a gap): the PDF's own heights are not trusted here, some fonts
    // print a name a line below its row's baseline
    let gap = |a: &TLine, b: &TLine| -> f32 {
        if a.page != b.page {
            f32::MAX
        } else {
            (a.line_no.abs_diff(b.line_no) as f32 - 0.8).max(0.0)
        }
    };
    let anchor_above = |i: usize| {
        (0..i)
            .rev()
            .find(|&k| anchor_of.get(k).copied().flatten().is_some())
            .filter(|&k| {
                body.get(k)
                    .zip(body.get(i))
                    .is_some_and(|(a, l)| a.page == l.page)
            })
    };
    let anchor_below = |i: usize| {
        (i + 1..body.len())
            .find(|&k| anchor_of.get(k).copied().flatten().is_some())
            .filter(|&k| {
                body.get(k)
                    .zip(body.get(i))
                    .is_some_and(|(a, l)| a.page == l.page)
            })
    };
    // figures-only lines first, in order
    let mut orphans: Vec<Record> = Vec::new();
    for (i, l) in body.iter().enumerate() {
        if kinds.get(i) != Some(&Kind::FiguresOnly) {
            continue;
        }
        let placed = place(columns, l);
        let cols: Vec<usize> = placed
            .iter()
            .filter(|p| p.figure)
            .filter_map(|p| p.col)
            .collect();
        let free = |k: usize, records: &[Record]| {
            anchor_of
                .get(k)
                .copied()
                .flatten()
                .and_then(|r| records.get(r))
                .is_some_and(|r| {
                    !r.figures()
                        .any(|p| p.col.is_some_and(|c| cols.contains(&c)))
                })
        };
        let (up, down) = (anchor_above(i), anchor_below(i));
        let dist = |k: usize| body.get(k).map(|a| gap(a, l)).unwrap_or(f32::MAX);
        let target = match (up, down) {
            (Some(u), Some(d)) => match (free(u, &records), free(d, &records)) {
                (true, false) => u,
                (false, true) => d,
                _ if dist(d) < dist(u) - 0.05 => d,
                _ => u,
            },
            (Some(u), None) => u,
            (None, Some(d)) => d,
            (None, None) => {
                // no row on its page: a row of figures without a label (a table of one
                // row under its column headers)
                orphans.push(Record {
                    line_no: l.line_no,
                    page: l.page,
                    cells: placed,
                    above: Vec::new(),
                    below: Vec::new(),
                });
                continue;
            }
        };
        let Some(r) = anchor_of
            .get(target)
            .copied()
            .flatten()
            .and_then(|r| records.get_mut(r))
        else {
            continue;
        };
        if target > i {
            r.above.extend(placed);
        } else {
            r.below.extend(placed);
        }
    }
    // Whether a table of names wraps them with a hanging indent: names start at one indent (the
    // most common start of the names on rows' own lines) and their continuation lines further
    // left (`  港珠澳大桥口岸“一站` / `式”制卡工本费`). Then a line at the indent starts a
    // name, one left of it goes on with the name above.
    let name_indent: Option<f32> = {
        let mut starts: Vec<i64> = body
            .iter()
            .enumerate()
            .filter(|(k, _)| kinds.get(*k) == Some(&Kind::Anchor))
            .filter_map(|(_, l)| {
                l.cells
                    .iter()
                    .find(|c| !c.figure)
                    .map(|c| c.x0.round() as i64)
            })
            .collect();
        starts.sort_unstable();
        let mut best: Option<(usize, i64)> = None;
        for chunk in starts.chunk_by(|a, b| a == b) {
            if let Some(&x) = chunk.first()
                && best.is_none_or(|(n, _)| chunk.len() > n)
            {
                best = Some((chunk.len(), x));
            }
        }
        best.map(|(_, x)| x as f32)
    };
    // (only in a table of names: where rows carry codes, the code line anchors each name)
    let coded = body.iter().any(|l| {
        l.cells
            .iter()
            .any(|c| leading_code(&c.text).is_some() && !c.amount)
    });
    let hanging = !coded
        && name_indent.is_some_and(|ind| {
            body.iter()
                .enumerate()
                .filter(|(k, l)| {
                    kinds.get(*k) == Some(&Kind::Text)
                        && l.cells.first().is_some_and(|c| c.x0 < ind - 1.5)
                })
                .count()
                >= 2
        });
    // A table of names each starting on a text line of its own at one indent and going on
    // further left, its figures on the line of the name's middle or on a line of their own
    // (珠海's 项目支出表: `     珠海机场货运口岸临时` / `开放期间珠海边检总站补助  288.75` /
    // `经费`): the rows' own lines do not show the indent, the text lines do — their starts
    // fall at two places, the names' indent right of their continuations'. Then, as with a
    // hanging indent, a text line at the indent starts the next row's name.
    let text_indent: Option<f32> = if coded || hanging {
        None
    } else {
        let mut starts: Vec<i64> = body
            .iter()
            .enumerate()
            .filter(|(k, _)| kinds.get(*k) == Some(&Kind::Text))
            .filter_map(|(_, l)| l.cells.first().map(|c| c.x0.round() as i64))
            .collect();
        starts.sort_unstable();
        let mut counts: Vec<(usize, i64)> = starts
            .chunk_by(|a, b| a == b)
            .filter_map(|c| c.first().map(|x| (c.len(), *x)))
            .collect();
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        match counts.as_slice() {
            [(n1, x1), (n2, x2), rest @ ..]
                if *n2 >= 3
                    && rest.iter().map(|(n, _)| n).sum::<usize>() * 4 < n1 + n2
                    // (the rows' own lines start left of the indent: it is not theirs)
                    && name_indent.is_none_or(|ind| ind < (*x1.max(x2) as f32) - 1.5)
                    && (x1 - x2).abs() >= 2 =>
            {
                Some(*x1.max(x2) as f32)
            }
            _ => None,
        }
    };
    // How the table wraps names: centred on the code line (parts above and below it) or
    // under it. Counted on rows printed without a name on their code line.
    let centred = {
        let (mut both, mut under) = (0usize, 0usize);
        for (k, l) in body.iter().enumerate() {
            if kinds.get(k) != Some(&Kind::Anchor) {
                continue;
            }
            // (a code's digits may look like an amount: the cell is a code unless an amount)
            let bare =
                |c: &TCell| !c.amount && leading_code(&c.text).is_some_and(|(_, r)| r.is_empty());
            // tables side by side print several codes on a line: a code with a name after it
            // there is a named row of its block, and the line counts for its unnamed codes
            // (the text above and below them in their block)
            let codes: Vec<usize> = (0..l.cells.len())
                .filter(|&i| l.cells.get(i).is_some_and(bare))
                .collect();
            let unnamed_span: Option<(f32, f32)> = if codes.len() >= 2 {
                codes
                    .iter()
                    .filter_map(|&i| {
                        let c = l.cells.get(i)?;
                        let next = l.cells.get(i + 1);
                        let named = next.is_some_and(|n| {
                            !n.figure && !numeric(&n.text) && leading_code(&n.text).is_none()
                        });
                        (!named).then(|| (c.x0, next.map_or(f32::MAX, |n| n.x0)))
                    })
                    .next()
            } else {
                None
            };
            // (a percentage, not taken for a figure, is no name either)
            if unnamed_span.is_none()
                && l.cells.iter().any(|c| {
                    !c.figure
                        && !numeric(&c.text)
                        && leading_code(&c.text).is_none_or(|(_, r)| !r.is_empty())
                })
            {
                continue;
            }
            let h = 0.8_f32;
            let text_at = |j: Option<usize>| {
                j.and_then(|j| body.get(j).map(|x| (j, x)))
                    .is_some_and(|(j, x)| {
                        kinds.get(j) == Some(&Kind::Text)
                            && gap(l, x) < 0.5 * h
                            && unnamed_span.is_none_or(|(x0, x1)| {
                                x.cells.iter().any(|t| overlap(t.x0, t.x1, x0, x1) > 0.0)
                            })
                    })
            };
            let (above, below) = (text_at(k.checked_sub(1)), text_at(Some(k + 1)));
            // a line below that goes on with the code (`13   公务用车购置`) is a name under it
            let code_goes_on = body.get(k + 1).is_some_and(|x| {
                x.cells.first().is_some_and(|c| {
                    let t = c.text.trim();
                    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
                })
            });
            if code_goes_on && below {
                under += 1;
            } else if above && below {
                both += 1;
            } else if below {
                under += 1;
            }
        }
        both > 0 && both >= under
    };
    // the texts of the lines just below the row at `k` (same page, no gap) that overlap
    // `x0..x1`
    let text_below = |k: usize, x0: f32, x1: f32| -> Vec<&str> {
        let mut out = Vec::new();
        let Some(mut prev) = body.get(k).copied() else {
            return out;
        };
        for j in k + 1..body.len() {
            let Some(l) = body.get(j).copied() else { break };
            if kinds.get(j) != Some(&Kind::Text) || gap(prev, l) > 0.5 {
                break;
            }
            let here: Vec<&str> = l
                .cells
                .iter()
                .filter(|c| !c.figure && overlap(c.x0 - 2.0, c.x1 + 2.0, x0, x1) > 0.0)
                .map(|c| &*c.text)
                .collect();
            if here.is_empty() {
                break;
            }
            out.extend(here);
            prev = l;
        }
        out
    };
    // runs of text lines between rows, column by column (two tables side by side wrap
    // their names independently)
    let mut i = 0;
    while i < body.len() {
        if kinds.get(i) != Some(&Kind::Text) {
            i += 1;
            continue;
        }
        let start = i;
        let mut run: Vec<usize> = Vec::new();
        while i < body.len() && kinds.get(i) != Some(&Kind::Anchor) {
            if kinds.get(i) == Some(&Kind::Text)
                && body
                    .get(i)
                    .zip(body.get(start))
                    .is_some_and(|(a, b)| a.page == b.page)
            {
                run.push(i);
            }
            i += 1;
        }
        let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
            continue;
        };
        let (up, down) = (anchor_above(first), anchor_below(last));
        // the gaps along the run, from the row above to the row below: a gap decisively
        // wider than the others separates the two rows' names
        // (figures-only lines between them fill their place: they are not a gap)
        let chain: Vec<&TLine> = up
            .and_then(|u| body.get(u).copied())
            .into_iter()
            .chain((first..=last).filter_map(|k| body.get(k).copied()))
            .chain(down.and_then(|d| body.get(d).copied()))
            .collect();
        let h = 0.8_f32;
        let gaps: Vec<f32> = chain
            .windows(2)
            .map(|w| match w {
                [a, b] => gap(a, b),
                _ => 0.0,
            })
            .collect();
        let decisive: Option<usize> = if up.is_some() && down.is_some() {
            let widest = gaps.iter().copied().fold(f32::MIN, f32::max);
            let at: Vec<usize> = gaps
                .iter()
                .enumerate()
                .filter(|(_, g)| **g >= widest - 0.5 * h)
                .map(|(k, _)| k)
                .collect();
            match at.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        } else {
            None
        };
        // (whether a line of the run stands left of the names' indent: a hanging wrap)
        let run_outdented = name_indent.is_some_and(|ind| {
            run.iter().any(|k| {
                body.get(*k)
                    .and_then(|l| l.cells.first())
                    .is_some_and(|c| c.x0 < ind - 1.5)
            })
        });
        // the run's cells, in groups that overlap across its lines (two tables side by
        // side wrap their names independently; one name's pieces overlap)
        let mut all: Vec<(usize, Placed)> = Vec::new();
        for k in &run {
            let Some(l) = body.get(*k) else { continue };
            for p in place(columns, l) {
                all.push((k.to_owned(), p));
            }
        }
        all.sort_by(|a, b| a.1.cell.x0.total_cmp(&b.1.cell.x0));
        let mut groups_x: Vec<(f32, Vec<(usize, Placed)>)> = Vec::new();
        for item in all {
            match groups_x.last_mut() {
                Some((end, g)) if item.1.cell.x0 <= *end + 1.0 => {
                    *end = end.max(item.1.cell.x1);
                    g.push(item);
                }
                _ => groups_x.push((item.1.cell.x1, vec![item])),
            }
        }
        for (_, mut cells) in groups_x {
            cells.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cell.x0.total_cmp(&b.1.cell.x0)));
            // whether a row has a name where these cells stand (its own line, or what it
            // has received above it)
            let (cx0, cx1) = cells.iter().fold((f32::MAX, f32::MIN), |(a, b), (_, p)| {
                (a.min(p.cell.x0), b.max(p.cell.x1))
            });
            let text_of = |r: &Record, which: u8| -> Vec<usize> {
                let v = match which {
                    0 => &r.cells,
                    _ => &r.above,
                };
                let mut lines: Vec<usize> = v
                    .iter()
                    .filter(|p| {
                        !p.figure
                            && overlap(p.cell.x0 - 2.0, p.cell.x1 + 2.0, cx0, cx1) > 0.0
                            && leading_code(&p.cell.text).is_none_or(|(_, rest)| !rest.is_empty())
                            && !p.cell.text.trim().bytes().all(|b| b.is_ascii_digit())
                    })
                    .map(|p| p.line_no)
                    .collect();
                lines.dedup();
                lines
            };
            let lines: Vec<usize> = {
                let mut v: Vec<usize> = cells.iter().map(|(k, _)| *k).collect();
                v.dedup();
                v
            };
            let n = lines.len();
            let rec = |k: Option<usize>| {
                k.and_then(|k| anchor_of.get(k).copied().flatten())
                    .and_then(|r| records.get(r))
            };
            // a total's label is whole: no wrapped name joins it
            let is_total_row = |k: Option<usize>| {
                rec(k).is_some_and(|r| {
                    r.cells
                        .iter()
                        .any(|p| !p.figure && is_total_label(&p.cell.text))
                })
            };
            // (with a hanging indent: the lines left of the indent before the first at it)
            let start_of = |k: usize| {
                cells
                    .iter()
                    .filter(|(j, _)| *j == k)
                    .map(|(_, p)| p.cell.x0)
                    .fold(f32::MAX, f32::min)
            };
            let by_indent = name_indent
                .filter(|_| hanging && run_outdented)
                .or(text_indent)
                .map(|ind| {
                    lines
                        .iter()
                        .take_while(|k| start_of(**k) < ind - 1.5)
                        .count()
                });
            let to_up = match (up, down, decisive) {
                // (below a table's last total: a note printed under the table, `备注：本单位
                // 2026 年没有使用…` / `出。`, which is nobody's name)
                _ if is_total_row(up) => 0,
                _ if is_total_row(down) && up.is_some() => n,
                (Some(_), Some(_), _) if by_indent.is_some() => by_indent.unwrap_or(n),
                (Some(_), None, _) => n,
                (None, _, _) => 0,
                // the run's lines up to the wide gap go up
                (Some(_), Some(_), Some(g)) => {
                    let cut = first + g;
                    lines.iter().filter(|k| **k < cut).count()
                }
                // a name wrapped around the figures of the row below, told by its brackets:
                // the run opens one the lines just below that row close, where the row
                // above has its own name there, closed, and the row below none
                // (`杭州市气象服务中心（杭州市预警` / `专业系统维护及科普  146.69` /
                // `信息发布中心）`, a unit's name beside its project's)
                (Some(_), Some(d), None)
                    if brackets(cells.iter().map(|(_, p)| &*p.cell.text)) > 0
                        && rec(up).is_some_and(|r| {
                            !text_of(r, 0).is_empty() && brackets(own_text(r, cx0, cx1)) == 0
                        })
                        && rec(down).is_some_and(|r| {
                            text_of(r, 0).is_empty() && r.cells.iter().any(|p| !p.figure)
                        })
                        && brackets(text_below(d, cx0, cx1).into_iter())
                            + brackets(cells.iter().map(|(_, p)| &*p.cell.text))
                            == 0 =>
                {
                    0
                }
                // names printed under their code lines: the run ends the row above
                (Some(_), Some(_), None) if !centred => n,
                (Some(_), Some(_), None) => {
                    let named = rec(up).is_some_and(|r| !text_of(r, 0).is_empty());
                    let above = rec(up).map(|r| text_of(r, 1).len()).unwrap_or(0);
                    if named || above > 0 {
                        // the row above wraps as far below its code line as above it
                        above.min(n)
                    } else {
                        n / 2 + n % 2
                    }
                }
            };
            for (k, p) in cells {
                let j = lines.iter().position(|x| *x == k).unwrap_or(0);
                let target = if j < to_up { up } else { down };
                let Some(r) = target
                    .and_then(|t| anchor_of.get(t).copied().flatten())
                    .and_then(|r| records.get_mut(r))
                else {
                    continue;
                };
                if target.is_some_and(|t| t > k) {
                    r.above.push(p);
                } else {
                    r.below.push(p);
                }
            }
        }
    }
    if !orphans.is_empty() {
        records.extend(orphans);
        records.sort_by_key(|r| r.line_no);
    }
    for r in &mut records {
        r.above.sort_by(|a, b| {
            a.line_no
                .cmp(&b.line_no)
                .then(a.cell.x0.total_cmp(&b.cell.x0))
        });
        r.below.sort_by(|a, b| {
            a.line_no
                .cmp(&b.line_no)
                .then(a.cell.x0.total_cmp(&b.cell.x0))
        });
    }
    merge_codes_below(merge_split_codes(merge_codes_under_rows(records)))
}

/// A table that prints each code on the line below its row's name and figures, a wrapped
/// name's end beside it (西安宣传's `行政运行  17,651,794.92 …` / `2013301`, `一般行政管理
/// 30,964,000.00 …` / `2013302  事务`): read as a code above its row, each code went to the
/// next row's figures. The table prints codes so when every line of a code without figures
/// stands right under a row of figures without a code, and at least one has no such row
/// right under it (the next row has a code of its own, or there is none); where codes stand
/// above their rows, each has its row right under it. Then each code joins the row above,
/// the text beside it the row's name.
pub(super) fn merge_codes_under_rows(records: Vec<Record>) -> Vec<Record> {
    let code_line =
        |r: &Record| r.above.is_empty() && !r.cells.iter().any(|p| p.figure) && opens_with_code(r);
    let uncoded_row = |r: &Record| {
        r.cells.iter().any(|p| p.figure)
            && !r
                .cells
                .iter()
                .chain(&r.above)
                .chain(&r.below)
                .any(|p| !p.figure && leading_code(&p.cell.text).is_some())
    };
    let last_line = |r: &Record| {
        r.below
            .iter()
            .map(|p| p.line_no)
            .chain(std::iter::once(r.line_no))
            .max()
            .unwrap_or(r.line_no)
    };
    let (mut under, mut only_under, mut codes) = (0usize, 0usize, 0usize);
    for (i, r) in records.iter().enumerate() {
        if !code_line(r) {
            continue;
        }
        codes += 1;
        let up = i
            .checked_sub(1)
            .and_then(|j| records.get(j))
            .is_some_and(|p| p.page == r.page && uncoded_row(p) && last_line(p) + 1 == r.line_no);
        let down = records
            .get(i + 1)
            .is_some_and(|n| n.page == r.page && uncoded_row(n) && n.line_no <= r.line_no + 2);
        if up {
            under += 1;
            only_under += usize::from(!down);
        }
    }
    if codes == 0 || under < codes || only_under == 0 {
        return records;
    }
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    for r in records {
        if code_line(&r)
            && let Some(prev) = out.last_mut()
            && prev.page == r.page
            && uncoded_row(prev)
        {
            let x = r
                .cells
                .iter()
                .map(|p| p.cell.x0)
                .reduce(f32::min)
                .unwrap_or(0.0);
            join_code(prev, r.cells, x);
            prev.below.extend(r.below);
            continue;
        }
        out.push(r);
    }
    out
}

/// A table printing two classifications side by side (西安's 部门经济 | 政府经济 columns)
/// may print a row's own code at the left on the line below it, the other classification's
/// code beside its name (`基本工资  50101  工资奖金津补贴  figures` / `30101`): the code line
/// (no figures; a name's wrapped end after the code) joins the row above, which has a code
/// only further right, so the row reads `30101 基本工资 | 50101 …` and its subject is the
/// left one.
pub(super) fn merge_codes_below(records: Vec<Record>) -> Vec<Record> {
    let code_at = |r: &Record| -> Option<f32> {
        r.cells
            .iter()
            .filter(|p| !p.figure && leading_code(&p.cell.text).is_some())
            .map(|p| p.cell.x0)
            .reduce(f32::min)
    };
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    // text the code line took from below it that opens the next row's name
    let mut carry: Vec<Placed> = Vec::new();
    for mut r in records {
        if !carry.is_empty() {
            let touching = carry.iter().all(|p| p.line_no + 1 == r.line_no);
            // (no name left of its code: a name further right is the other classification's)
            let own_x = code_at(&r).unwrap_or(f32::MAX);
            let unnamed = !r.cells.iter().any(|p| {
                !p.figure && leading_code(&p.cell.text).is_none() && p.cell.x0 < own_x - 1.0
            });
            if touching && unnamed {
                r.above.append(&mut carry);
            } else if let Some(prev) = out.last_mut() {
                prev.below.append(&mut carry);
            }
        }
        let lone_code =
            r.above.is_empty() && !r.cells.iter().any(|p| p.figure) && opens_with_code(&r);
        if lone_code
            && let Some(prev) = out.last_mut()
            && prev.page == r.page
            // (the line below, or the one after a wrapped piece of the other name)
            && (r.line_no == prev.line_no + 1 || r.line_no == prev.line_no + 2)
            && prev.cells.iter().any(|p| p.figure)
            && let (Some(x), Some(px)) = (code_at(&r), code_at(prev))
            // (the row above has no code in the left column: its codes stand further right)
            && px > x + 4.0
        {
            join_code(prev, r.cells, x);
            carry = r.below;
            continue;
        }
        out.push(r);
    }
    if let Some(prev) = out.last_mut() {
        prev.below.append(&mut carry);
    }
    out
}

/// A code line's `cells` joining the row `prev` above it: the code (at `x`) among the row's
/// own cells, the text beside it as the row's continuation below.
fn join_code(prev: &mut Record, cells: Vec<Placed>, x: f32) {
    let (code, rest): (Vec<Placed>, Vec<Placed>) =
        cells.into_iter().partition(|p| (p.cell.x0 - x).abs() < 0.5);
    prev.cells.extend(code);
    prev.cells.sort_by(|a, b| a.cell.x0.total_cmp(&b.cell.x0));
    prev.below.extend(rest);
}

/// Whether a record's leftmost cell is a bare code (3, 5 or 7 digits).
fn opens_with_code(r: &Record) -> bool {
    r.cells
        .iter()
        .min_by(|a, b| a.cell.x0.total_cmp(&b.cell.x0))
        .is_some_and(|p| bare_code(&p.cell.text))
}

/// A number, or a number in per cent (`1.17%`, `-8.10%`): never a name.
fn numeric(text: &str) -> bool {
    budsql_text::is_number(text.trim().trim_end_matches(['%', '％']))
}

/// A subject code alone: 3, 5 or 7 digits.
fn bare_code(text: &str) -> bool {
    let t = text.trim();
    matches!(t.len(), 3 | 5 | 7) && t.bytes().all(|b| b.is_ascii_digit())
}

/// A code printed alone on its line with its name and figures on the next (`30299` /
/// `其他商品和服务支出   0.20`): one row.
pub(super) fn merge_split_codes(records: Vec<Record>) -> Vec<Record> {
    let code_only = |r: &Record| {
        !r.cells.is_empty()
            && r.above.is_empty()
            && r.below.is_empty()
            && r.cells.iter().all(|p| !p.figure && bare_code(&p.cell.text))
    };
    let uncoded = |r: &Record| {
        !r.cells.iter().any(|p| leading_code(&p.cell.text).is_some())
            && r.cells.iter().any(|p| !p.figure)
    };
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    let mut it = records.into_iter().peekable();
    while let Some(r) = it.next() {
        if code_only(&r)
            && let Some(next) = it.peek()
            && next.page == r.page
            && next.line_no <= r.line_no + 2
            && uncoded(next)
            && let (Some(code_x), Some(next_x)) = (
                r.cells.first().map(|p| p.cell.x0),
                next.cells.iter().map(|p| p.cell.x0).reduce(f32::min),
            )
            && next_x >= code_x - 1.0
            && let Some(next) = it.next()
        {
            let mut merged = r;
            merged.cells.extend(next.cells);
            merged.above.extend(next.above);
            merged.below.extend(next.below);
            out.push(merged);
            continue;
        }
        out.push(r);
    }
    out
}

/// A row's own text (its anchor line's) overlapping `x0..x1`.
fn own_text(r: &Record, x0: f32, x1: f32) -> impl Iterator<Item = &str> {
    r.cells
        .iter()
        .filter(move |p| !p.figure && overlap(p.cell.x0 - 2.0, p.cell.x1 + 2.0, x0, x1) > 0.0)
        .map(|p| &*p.cell.text)
}

/// Brackets a text opens and does not close (negative: closes more than it opens).
fn brackets<'a>(texts: impl Iterator<Item = &'a str>) -> i64 {
    texts
        .flat_map(str::chars)
        .map(|c| match c {
            '(' | '（' | '【' | '[' | '〔' => 1,
            ')' | '）' | '】' | ']' | '〕' => -1,
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_left_open() {
        assert_eq!(brackets(["杭州市气象服务中心（杭州市预警"].into_iter()), 1);
        assert_eq!(brackets(["信息发布中心）"].into_iter()), -1);
        assert_eq!(
            brackets(["粤财工【2024】156号", "对企业补助(基本建设）"].into_iter()),
            0
        );
    }
    use crate::table::fixtures::*;

    #[test]
    fn codes_printed_under_their_rows_join_them() {
        // 西安宣传: each 项's code on the line below its name and figures
        let cols = vec![
            column("科目编码", 0.0, 8.0),
            column("科目名称", 10.0, 30.0),
            column("合计", 36.0, 40.0),
        ];
        let lines = [
            line(
                10,
                &[
                    ("20133", 0.0, 5.0),
                    ("宣传事务", 10.0, 18.0),
                    ("486.16", 34.0, 40.0),
                ],
            ),
            line(12, &[("行政运行", 10.0, 18.0), ("176.52", 34.0, 40.0)]),
            line(13, &[("2013301", 0.0, 7.0)]),
            line(14, &[("一般行政管理", 10.0, 22.0), ("309.64", 34.0, 40.0)]),
            line(15, &[("2013302", 0.0, 7.0), ("事务", 10.0, 14.0)]),
            line(
                16,
                &[
                    ("205", 0.0, 3.0),
                    ("教育支出", 10.0, 18.0),
                    ("10.96", 34.0, 40.0),
                ],
            ),
        ];
        let refs: Vec<&TLine> = lines.iter().collect();
        let recs = assemble(&refs, &cols, |_| false);
        let got: Vec<(String, String, String)> = recs
            .iter()
            .map(|r| {
                (
                    text_in(r, 0),
                    text_in(r, 1),
                    r.figures().map(|p| &*p.cell.text).collect(),
                )
            })
            .collect();
        let want = [
            ("20133", "宣传事务", "486.16"),
            ("2013301", "行政运行", "176.52"),
            ("2013302", "一般行政管理事务", "309.64"),
            ("205", "教育支出", "10.96"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want);
        // where codes stand above their rows, each has its row right under it: as before
        let lines = [
            line(10, &[("合计", 10.0, 14.0), ("1.20", 34.0, 40.0)]),
            line(11, &[("30201", 0.0, 5.0)]),
            line(12, &[("办公费", 10.0, 16.0), ("1.00", 34.0, 40.0)]),
            line(13, &[("30299", 0.0, 5.0)]),
            line(
                14,
                &[("其他商品和服务支出", 10.0, 28.0), ("0.20", 34.0, 40.0)],
            ),
        ];
        let refs: Vec<&TLine> = lines.iter().collect();
        let recs = assemble(&refs, &cols, |_| false);
        let got: Vec<(String, String)> = recs
            .iter()
            .map(|r| (text_in(r, 0), r.figures().map(|p| &*p.cell.text).collect()))
            .collect();
        let want: Vec<(String, String)> = [("", "1.20"), ("30201", "1.00"), ("30299", "0.20")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn wrapped_names_join_their_row() {
        let cols = vec![
            column("科目编码", 0.0, 8.0),
            column("科目名称", 10.0, 30.0),
            column("合计", 36.0, 40.0),
        ];
        let a = line(10, &[("机关事业单位基本养老保险缴", 10.0, 36.0)]);
        let b = line(11, &[("2080505", 0.0, 7.0), ("402.46", 34.0, 40.0)]);
        let c = line(12, &[("费支出", 10.0, 16.0)]);
        let d = line(
            14,
            &[
                ("2080506", 0.0, 7.0),
                ("职业年金缴费支出", 10.0, 26.0),
                ("201.24", 34.0, 40.0),
            ],
        );
        let recs = assemble(&[&a, &b, &c, &d], &cols, |_| false);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            text_in(recs.first().unwrap(), 1),
            "机关事业单位基本养老保险缴费支出"
        );
        assert_eq!(text_in(recs.get(1).unwrap(), 1), "职业年金缴费支出");
    }

    #[test]
    fn a_total_row_takes_no_wrapped_text() {
        let cols = vec![column("科目名称", 0.0, 20.0), column("合计", 30.0, 34.0)];
        let total = line(10, &[("合计", 0.0, 4.0), ("9.00", 30.0, 34.0)]);
        let wrapped_above = line(11, &[("一般公共服务", 0.0, 12.0)]);
        let row = line(12, &[("2010101", 0.0, 7.0), ("9.00", 30.0, 34.0)]);
        let recs = assemble(&[&total, &wrapped_above, &row], &cols, |_| false);
        assert_eq!(recs.len(), 2);
        assert_eq!(text_in(recs.first().unwrap(), 0), "合计");
    }

    /// 福州's empty 国有资本经营 table: the note printed under its 合计, wrapped to a second
    /// line, is nobody's name (it was read as `合计备注：本单位2026年没有使用…支出。`).
    #[test]
    fn a_total_row_takes_no_note_below_it() {
        let cols = vec![column("科目名称", 0.0, 20.0), column("小计", 30.0, 34.0)];
        let total = line(255, &[("合计", 9.0, 13.0), ("0.00", 30.0, 34.0)]);
        let note = line(
            259,
            &[(
                "备注：本单位 2026 年没有使用国有资本经营预算拨款安排的支",
                0.0,
                60.0,
            )],
        );
        let end = line(260, &[("出。", 0.0, 4.0)]);
        let recs = assemble(&[&total, &note, &end], &cols, |_| false);
        assert_eq!(recs.len(), 1);
        let r = recs.first().unwrap();
        assert_eq!(text_in(r, 0), "合计");
        assert!(r.below.is_empty() && r.above.is_empty());
    }

    /// 项目支出表 of one template: names start at an indent and wrap with a hanging indent,
    /// around figures that stand on a line of their own.
    #[test]
    fn names_wrapped_around_their_figures_with_a_hanging_indent() {
        let cols = vec![column("项目", 0.0, 24.0), column("总计", 30.0, 36.0)];
        let unit = line(1, &[("某某局", 1.0, 7.0), ("10.00", 30.0, 36.0)]);
        let own = line(2, &[("党建经费", 5.0, 13.0), ("1.00", 32.0, 36.0)]);
        let own2 = line(9, &[("口岸维修经费", 5.0, 17.0), ("2.00", 32.0, 36.0)]);
        let a1 = line(3, &[("定额补助经费——运行", 5.0, 24.0)]);
        let a2 = line(4, &[("4.00", 32.0, 36.0)]);
        let a3 = line(5, &[("经费", 0.0, 3.0)]);
        let b1 = line(6, &[("定额补助经费——项目", 5.0, 24.0)]);
        let b2 = line(7, &[("5.00", 32.0, 36.0)]);
        let b3 = line(8, &[("经费", 0.0, 3.0)]);
        let body = [&unit, &own, &a1, &a2, &a3, &b1, &b2, &b3, &own2];
        let recs = assemble(&body, &cols, |_| false);
        let names: Vec<String> = recs.iter().map(|r| text_in(r, 0)).collect();
        assert_eq!(
            names,
            [
                "某某局",
                "党建经费",
                "定额补助经费——运行经费",
                "定额补助经费——项目经费",
                "口岸维修经费"
            ]
        );
        // each figure stays with its own row: none is dropped as a second figure of another
        let totals: Vec<String> = recs
            .iter()
            .map(|r| r.figures().map(|p| p.cell.text.to_string()).collect())
            .collect();
        assert_eq!(totals, ["10.00", "1.00", "4.00", "5.00", "2.00"]);
    }

    /// Names centred on code lines that print none: a row with its own name on its line
    /// takes none of the run below it, the unnamed row below takes the lines on both sides
    /// of its code line (国家信访局's 2026 一般公共预算支出表: `2080503 离退休人员管理机构`,
    /// then `机关事业单位基本养` / `2080505  649.91 … 1.17%` / `老保险缴费支出`; the change in
    /// per cent, printed on every row, is no name).
    #[test]
    fn a_named_row_keeps_its_name_and_the_unnamed_row_below_takes_both_sides() {
        let cols = vec![
            column("科目编码", 0.0, 8.0),
            column("科目名称", 12.0, 22.0),
            column("合计", 24.0, 30.0),
            column("增减%", 32.0, 38.0),
        ];
        let a = line(
            268,
            &[
                ("2080503", 0.0, 7.0),
                ("离退休人员管理机构", 12.0, 21.0),
                ("210.58", 24.0, 30.0),
                ("-8.10%", 32.0, 38.0),
            ],
        );
        let b1 = line(269, &[("机关事业单位基本养", 12.0, 21.0)]);
        let b = line(
            270,
            &[
                ("2080505", 0.0, 7.0),
                ("649.91", 24.0, 30.0),
                ("1.17%", 32.0, 38.0),
            ],
        );
        let b2 = line(271, &[("老保险缴费支出", 10.0, 17.0)]);
        let c1 = line(272, &[("机关事业单位职业年", 12.0, 21.0)]);
        let c = line(
            273,
            &[
                ("2080506", 0.0, 7.0),
                ("358.82", 24.0, 30.0),
                ("4.75%", 32.0, 38.0),
            ],
        );
        let c2 = line(274, &[("金缴费支出", 10.0, 15.0)]);
        let recs = assemble(&[&a, &b1, &b, &b2, &c1, &c, &c2], &cols, |_| false);
        let names: Vec<String> = recs.iter().map(|r| text_in(r, 1)).collect();
        assert_eq!(
            names,
            [
                "离退休人员管理机构",
                "机关事业单位基本养老保险缴费支出",
                "机关事业单位职业年金缴费支出"
            ]
        );
    }

    /// 项目支出表 of another template: each name starts on a text line at an indent and goes
    /// on at the margin, its figures beside the name's middle line or on a line of their own.
    #[test]
    fn names_starting_at_an_indent_above_their_figures() {
        let cols = vec![column("项目", 0.0, 20.0), column("合计", 24.0, 30.0)];
        let body = [
            line(1, &[("粤财工〔2025〕59号下", 5.0, 16.0)]),
            line(
                2,
                &[
                    ("达2025年中央外经贸发展专", 0.0, 13.0),
                    ("98.45", 25.0, 30.0),
                ],
            ),
            line(3, &[("项资金（第二批）", 0.0, 8.0)]),
            line(4, &[("珠海机场货运口岸临时", 5.0, 15.0)]),
            line(5, &[("491.25", 24.0, 30.0)]),
            line(6, &[("开放期间拱北海关补助经费", 0.0, 12.0)]),
            line(7, &[("珠海机场货运口岸临时", 5.0, 15.0)]),
            line(
                8,
                &[
                    ("开放期间珠海边检总站补助", 0.0, 12.0),
                    ("288.75", 24.0, 30.0),
                ],
            ),
            line(9, &[("经费", 0.0, 2.0)]),
            line(10, &[("追加2025年超长期特别", 5.0, 16.0)]),
            line(
                11,
                &[
                    ("国债支持消费品以旧换新审", 0.0, 12.0),
                    ("65.00", 25.0, 30.0),
                ],
            ),
            line(12, &[("计服务经费", 0.0, 5.0)]),
        ];
        let refs: Vec<&TLine> = body.iter().collect();
        let recs = assemble(&refs, &cols, |_| false);
        let names: Vec<String> = recs.iter().map(|r| text_in(r, 0)).collect();
        assert_eq!(
            names,
            [
                "粤财工〔2025〕59号下达2025年中央外经贸发展专项资金（第二批）",
                "珠海机场货运口岸临时开放期间拱北海关补助经费",
                "珠海机场货运口岸临时开放期间珠海边检总站补助经费",
                "追加2025年超长期特别国债支持消费品以旧换新审计服务经费"
            ]
        );
    }

    /// Classifications side by side (国家信访局's 2024 基本支出表): a line holds a code of
    /// each block; where one block's code prints no name, its name is centred on the line
    /// (`对民间非营利组织和群众` / `39908` / `性自治组织补贴`) while the other blocks' rows
    /// print theirs, and the row above keeps its own.
    #[test]
    fn a_name_centred_on_one_block_of_tables_side_by_side() {
        let cols = vec![
            column("科目代码", 0.0, 5.0),
            column("科目名称", 10.0, 20.0),
            column("决算数", 26.0, 30.0),
            column("科目代码", 38.0, 43.0),
            column("科目名称", 48.0, 58.0),
        ];
        let body = [
            line(
                1,
                &[
                    ("30307", 0.0, 5.0),
                    ("医疗费补助", 10.0, 15.0),
                    ("36.88", 25.0, 30.0),
                    ("39907", 38.0, 43.0),
                    ("国家赔偿费用支出", 48.0, 56.0),
                ],
            ),
            line(2, &[("对民间非营利组织和群众", 48.0, 59.0)]),
            line(
                3,
                &[
                    ("30308", 0.0, 5.0),
                    ("助学金", 10.0, 13.0),
                    ("133.00", 24.0, 30.0),
                    ("39908", 38.0, 43.0),
                ],
            ),
            line(4, &[("性自治组织补贴", 47.0, 54.0)]),
        ];
        let refs: Vec<&TLine> = body.iter().collect();
        let recs = assemble(&refs, &cols, |_| false);
        let names: Vec<String> = recs.iter().map(|r| text_in(r, 4)).collect();
        assert_eq!(
            names,
            ["国家赔偿费用支出", "对民间非营利组织和群众性自治组织补贴"]
        );
    }

    /// A line of figures alone beside rows that have theirs is no part of them.
    #[test]
    fn figures_alone_between_complete_rows_are_a_row() {
        let cols = vec![column("单位名称", 0.0, 24.0), column("合计", 30.0, 36.0)];
        let a = line(1, &[("甲单位", 0.0, 6.0), ("3.00", 32.0, 36.0)]);
        let b1 = line(2, &[("乙单位（本", 0.0, 10.0)]);
        let b2 = line(3, &[("2.00", 32.0, 36.0)]);
        let b3 = line(4, &[("级）", 0.0, 4.0)]);
        let c = line(5, &[("丙单位", 0.0, 6.0), ("1.00", 32.0, 36.0)]);
        let recs = assemble(&[&a, &b1, &b2, &b3, &c], &cols, |_| false);
        assert_eq!(recs.len(), 3);
        let figs: Vec<usize> = recs.iter().map(|r| r.figures().count()).collect();
        assert_eq!(figs, [1, 1, 1]);
        assert_eq!(
            recs.get(1).map(|r| text_in(r, 0)).as_deref(),
            Some("乙单位（本级）")
        );
    }
}
