//! Placing figures under column headers by position, keeping their order.
//!
//! In space-aligned text a figure stands under its header, but right-aligned figures and
//! centred headers do not line up exactly, and blank cells leave gaps. The figures of a row
//! and the headers are both in left-to-right order, so the best placement is an order-
//! preserving alignment that minimises the total distance between centres, where a figure
//! may stay unplaced (far from every header) and a header may get no figure (a blank cell).

/// Assigns each figure span to a column span (by index) or to none. Spans are
/// `(start, end)` positions; `max_distance` is the farthest a figure's centre may be from its
/// column's centre, in characters.
pub fn align(
    figures: &[(usize, usize)],
    columns: &[(usize, usize)],
    max_distance: usize,
) -> Vec<Option<usize>> {
    let n = figures.len();
    let m = columns.len();
    let centre = |s: &(usize, usize)| (s.0 + s.1) as i64; // doubled, to stay in integers
    let limit = 2 * max_distance as i64;
    let skip = limit + 1; // leaving a figure unplaced costs more than any allowed distance
    const INF: i64 = i64::MAX / 4;
    // cost[i][j]: best cost for the first i figures using the first j columns
    let mut cost = vec![vec![INF; m + 1]; n + 1];
    if let Some(row) = cost.get_mut(0) {
        row.iter_mut().for_each(|c| *c = 0);
    }
    let get = |c: &Vec<Vec<i64>>, i: usize, j: usize| {
        c.get(i).and_then(|r| r.get(j)).copied().unwrap_or(INF)
    };
    for i in 1..=n {
        for j in 0..=m {
            let mut best = get(&cost, i - 1, j).saturating_add(skip);
            if j > 0 {
                best = best.min(get(&cost, i, j - 1));
                if let (Some(f), Some(c)) = (figures.get(i - 1), columns.get(j - 1)) {
                    let d = (centre(f) - centre(c)).abs();
                    if d <= limit {
                        best = best.min(get(&cost, i - 1, j - 1).saturating_add(d));
                    }
                }
            }
            if let Some(slot) = cost.get_mut(i).and_then(|r| r.get_mut(j)) {
                *slot = best;
            }
        }
    }
    // walk back
    let mut out = vec![None; n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        let here = get(&cost, i, j);
        if j > 0 && here == get(&cost, i, j - 1) {
            j -= 1;
            continue;
        }
        if j > 0
            && let (Some(f), Some(c)) = (figures.get(i - 1), columns.get(j - 1))
        {
            let d = (centre(f) - centre(c)).abs();
            if d <= limit && here == get(&cost, i - 1, j - 1).saturating_add(d) {
                if let Some(slot) = out.get_mut(i - 1) {
                    *slot = Some(j - 1);
                }
                i -= 1;
                j -= 1;
                continue;
            }
        }
        i -= 1; // unplaced figure
    }
    out
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn three_public_columns() {
        // 合计 因公出国(境)费 公务接待费 小计 购置费 运行费 over `10.81 0 0.83 9.98 0 9.98 217.83`
        let cols = [(3, 5), (16, 24), (31, 36), (42, 44), (54, 57), (66, 69)];
        let figs = [
            (8, 13),
            (27, 28),
            (35, 39),
            (47, 51),
            (60, 61),
            (70, 74),
            (82, 88),
        ];
        assert_eq!(
            align(&figs, &cols, 12),
            vec![Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), None]
        );
    }

    #[test]
    fn blank_cells_leave_columns_empty() {
        let cols = [(10, 14), (20, 24), (30, 34)];
        assert_eq!(
            align(&[(9, 14), (29, 34)], &cols, 6),
            vec![Some(0), Some(2)]
        );
        assert_eq!(align(&[], &cols, 6), Vec::<Option<usize>>::new());
    }
}
