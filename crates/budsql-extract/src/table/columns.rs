//! Body cells placed in columns: figures by their right edge, text by overlap; figure
//! clusters no header owns become columns of their own.

use super::*;

/// Figure clusters no header column can own become columns without a label.
pub(super) fn add_figure_columns(cols: &mut Vec<Column>, body: &[&TLine]) {
    // right of every label, two clusters of figures that the last label would take both:
    // the further ones are a column whose header is missing (figures are right-aligned in
    // cells of any width, so one cluster far right of its label is still that label's)
    let clusters = figure_columns(body);
    let Some(last_center) = cols.iter().map(Column::center).reduce(f32::max) else {
        return;
    };
    let beyond: Vec<Column> = clusters
        .into_iter()
        .filter(|c| c.x1 > last_center + 1.0)
        .collect();
    // (clusters a column's width apart: right edges of one column straggle a little)
    let mut kept: Vec<Column> = Vec::new();
    for c in beyond {
        match kept.last_mut() {
            Some(k) if c.x1 - k.x1 < 8.0 => {
                k.x0 = k.x0.min(c.x0);
                k.x1 = k.x1.max(c.x1);
            }
            _ => kept.push(c),
        }
    }
    if kept.len() >= 2 {
        cols.extend(kept.into_iter().skip(1));
    }
    cols.sort_by(|a, b| a.x0.total_cmp(&b.x0));
}

/// Columns from figures alone: right edges within a column and a half of each other.
pub(super) fn figure_columns(body: &[&TLine]) -> Vec<Column> {
    let mut edges: Vec<(f32, f32)> = body
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| c.amount)
        .map(|c| (c.x0, c.x1))
        .collect();
    edges.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut out: Vec<Column> = Vec::new();
    for (x0, x1) in edges {
        match out.last_mut() {
            Some(c) if x1 - c.x1 <= 1.5 => {
                c.x0 = c.x0.min(x0);
                c.x1 = x1;
            }
            _ => out.push(Column {
                x0,
                x1,
                label: String::new(),
                groups: Vec::new(),
                top_line: usize::MAX,
                y0: f32::MAX,
                y1: f32::MAX,
            }),
        }
    }
    out
}

/// The column a figure stands in: the rightmost column whose centre is left of the
/// figure's right edge (figures are right-aligned or centred in their cells).
pub fn figure_column(columns: &[Column], cell: &TCell) -> Option<usize> {
    let r = cell.x1;
    let i = columns.iter().rposition(|c| c.center() <= r + 1.0)?;
    let c = columns.get(i)?;
    // not a figure far beyond the table's last column (cells are as wide as the columns
    // are far apart)
    if i + 1 == columns.len() {
        let pitch = match (columns.first(), columns.len()) {
            (Some(f), n) if n > 1 => (c.center() - f.center()) / (n - 1) as f32,
            _ => 40.0,
        };
        if r - c.x1 > 3.0 * pitch.max(8.0) {
            return None;
        }
    }
    Some(i)
}

/// The column a text cell stands in: the one it overlaps most (of equals, the leftmost:
/// text is left-aligned, so a name as wide as two headers starts in its own), else the
/// first to its right.
pub fn text_column(columns: &[Column], cell: &TCell) -> Option<usize> {
    let best = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (overlap(cell.x0, cell.x1, c.x0, c.x1), i))
        .filter(|(o, _)| *o > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((_, i)) = best {
        return Some(i);
    }
    // text is left-aligned in its cell, whose label is centred further right: the first
    // column starting at or after the text — unless the text stands just after a column of
    // names on its left and far from that one (a 科目名称 label standing at its column's
    // left edge, the names after it: not the figures' column beyond)
    let right = columns.iter().position(|c| c.x0 >= cell.x0 - 0.5);
    let left = right.unwrap_or(columns.len()).checked_sub(1).filter(|&l| {
        let gap_left = columns.get(l).map_or(f32::MAX, |c| cell.x0 - c.x1);
        let gap_right = right
            .and_then(|r| columns.get(r))
            .map_or(f32::MAX, |c| c.x0 - cell.x1);
        right.is_some()
            && gap_left >= 0.0
            && gap_left * 3.0 < gap_right
            && columns
                .get(l)
                .is_some_and(|c| c.label.contains("名称") || c.label.contains("科目"))
    });
    left.or(right).or_else(|| columns.len().checked_sub(1))
}

pub(super) fn place(columns: &[Column], line: &TLine) -> Vec<Placed> {
    // a line of text alone (a wrapped name with a code part beside it) holds no figure
    let text_line = kind(line) == Kind::Text;
    let mut after_code = false;
    line.cells
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let t = c.text.trim();
            let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            // a 款 or 项 part printed in a column of its own, after its 类 or before its
            // name (`01   办公费`)
            let before_name = line
                .cells
                .get(k + 1)
                .is_some_and(|n| !n.figure && leading_code(&n.text).is_none());
            let code_part = (after_code || before_name) && digits && t.len() <= 2;
            after_code = (digits && matches!(t.len(), 3 | 5)) || code_part;
            let figure = !code_part
                && !text_line
                && c.figure
                && leading_code(&c.text).is_none_or(|_| c.amount);
            let col = if figure {
                figure_column(columns, c)
            } else {
                text_column(columns, c)
            };
            Placed {
                cell: c.clone(),
                col,
                figure,
                line_no: line.line_no,
                between: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fixtures::*;

    #[test]
    fn figures_by_right_edge_text_by_overlap() {
        let cols = [
            column("科目名称", 0.0, 16.0),
            column("合计", 26.0, 30.0),
            column("基本支出", 36.0, 44.0),
        ];
        // right-aligned under 合计 although it starts left of the label
        let wide = TCell::new("12,345.67", 21.0, 30.0);
        assert_eq!(figure_column(&cols, &wide), Some(1));
        let under_basic = TCell::new("3.00", 40.0, 44.0);
        assert_eq!(figure_column(&cols, &under_basic), Some(2));
        let name = TCell::new("一般公共服务支出", 2.0, 18.0);
        assert_eq!(text_column(&cols, &name), Some(0));
        // as much over the name's header as over the figures': the name's (国家信访局's
        // `机关事业单位基本养老保险缴费支` under a centred 科目名称)
        let cols = [column("科目名称", 19.0, 23.0), column("合计", 26.0, 31.0)];
        let wide = TCell::new("机关事业单位基本养老保险缴费支", 15.0, 30.0);
        assert_eq!(text_column(&cols, &wide), Some(0));
        // just right of the names' column, far left of the figures': a name (北京审计's
        // letter-spaced `合    计`, whose `计` stands past 科目名称's label)
        let cols = [column("科目名称", 10.0, 14.0), column("合计", 40.0, 44.0)];
        assert_eq!(text_column(&cols, &TCell::new("计", 16.0, 17.0)), Some(0));
        // (not where the column on its left holds no names: the first to its right)
        let cols = [column("预算数", 10.0, 14.0), column("项目", 40.0, 44.0)];
        assert_eq!(
            text_column(&cols, &TCell::new("预备费", 16.0, 19.0)),
            Some(1)
        );
    }
}
