// A history grid as a clerk reads it: the table with a send-date column, its rows, its pager
// (numbers, "...", first/prev/next/last words or arrows, "Pagina X din Y", a page box) and
// whether the send-date title is a sort link.
// args: {selector, isDefault, wanted, avoid, cap, maxLen, mark, before}
//   wanted/avoid: folded column titles (history.header_matches, in the page);
//   mark: a token left on the grid element, to tell a redrawn grid from the same one;
//   before: when set, only answer true/false: is the grid now different from `before`
//   (another signature, or redrawn since it was marked with `mark`)?
const isGrid = e => e.tagName === 'TABLE' || ['grid', 'table'].includes(e.getAttribute('role'));
const rowsOf = t => t.tagName === 'TABLE'
  ? Array.from(t.rows).filter(r => r.closest('table') === t)
  : Array.from(t.querySelectorAll('[role=row]'))
    .filter(r => r.closest('table, [role=grid], [role=table]') === t);
const cellEls = r => Array.from(r.tagName === 'TR' ? r.cells
  : r.querySelectorAll('[role=columnheader], [role=cell], [role=gridcell], [role=rowheader]'));
const cellsOf = r => cellEls(r).map(textOf);
const headerIndex = rows => {
  const h = rows.findIndex(r => r.querySelector('th, [role=columnheader]'));
  return h < 0 ? 0 : h;
};
const matchesHeader = (headers, key) => headers.findIndex(c => {
  const f = fold(c);
  return f.length < args.maxLen && f.includes(key) && !args.avoid.some(a => f.includes(a));
});
const findGrid = () => {
  const all = Array.from(document.querySelectorAll(args.selector));
  for (const key of args.wanted) {
    for (let i = 0; i < all.length; i++) {
      const t = all[i];
      if (!t.getClientRects().length) continue;
      if (!isGrid(t) && args.isDefault) continue;
      const rows = rowsOf(t);
      if (!rows.length) continue;
      const h = headerIndex(rows);
      const column = matchesHeader(cellsOf(rows[h]), key);
      if (column >= 0) return {t, i, rows, h, column};
    }
  }
  return null;
};

// A row that is the pager, not data: one wide cell holding links (GridView's pager row).
const isPagerRow = r => {
  const cells = cellEls(r);
  return cells.length === 1 && !!r.querySelector('a, input, button, [onclick]');
};
const LOADING = /^(se incarca|se proceseaza|incarcare|loading|please wait|va rugam asteptati)/;

const read = g => {
  const {t, i, rows, h, column} = g;
  const headers = cellsOf(rows[h]);
  const body = rows.slice(h + 1).filter(r => r.getClientRects().length && !isPagerRow(r));
  let picked = body;
  if (body.length > args.cap) picked = body.slice(0, args.cap / 2).concat(body.slice(-args.cap / 2));
  const cells = picked.map(cellsOf);
  const loading = body.length <= 2 && body.some(r => LOADING.test(fold(textOf(r))));
  const signature = body.length + '|' + JSON.stringify(headers) + '|'
    + JSON.stringify(cells[0] || []) + '|' + JSON.stringify(cells[cells.length - 1] || []);
  return {index: i, headers, rows: cells, total: body.length, signature, loading, column};
};

// -- the pager ------------------------------------------------------------------------------
const CLICKABLE = 'a, button, input[type=button], input[type=submit], input[type=image], '
  + '[role=button], [role=link], [onclick]';
// The text of a pager as a person reads it: a page box shows its value ("Pagina [3] din 57").
const readText = n => {
  if (n.nodeType === 3) return n.data;
  if (n.nodeType !== 1 || ['SCRIPT', 'STYLE', 'SELECT', 'OPTION'].includes(n.tagName)) return '';
  if (n.tagName === 'INPUT') return /^(text|number|)$/.test(n.type || '') ? ' ' + n.value + ' ' : '';
  if (!n.getClientRects().length) return '';
  return Array.from(n.childNodes).map(readText).join(' ');
};
const pagerScopes = t => {
  const scopes = rowsOf(t).filter(isPagerRow);
  let n = t;
  for (let up = 0; up < 3 && n && n !== document.body; up++) {
    for (const next of [n.previousElementSibling, n.nextElementSibling]) {
      if (next && !next.contains(t) && !next.querySelector('table tr + tr + tr')) scopes.push(next);
    }
    n = n.parentElement;
  }
  return scopes.filter(s => s.getClientRects().length);
};
const pagerOf = t => {
  const scopes = [];
  for (const scope of pagerScopes(t)) {
    const controls = [];
    const numbers = [];
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_ELEMENT);
    const seen = new Set();
    for (let e = walker.currentNode; e; e = walker.nextNode()) {
      if (!shown(e) && !(e.tagName === 'INPUT' && e.type === 'image' && e.getClientRects().length)) continue;
      const clickable = e.matches(CLICKABLE) ? e : null;
      if (clickable && ![...seen].some(s => s.contains(e))) {
        seen.add(e);
        controls.push({
          text: textOf(e) || e.value || '',
          title: e.getAttribute('title') || e.getAttribute('alt') || e.getAttribute('aria-label')
            || ((e.querySelector('img[alt]') || {}).alt) || '',
          css: cssPath(e),
          disabled: disabled(e) || /\baspNetDisabled\b/.test(e.className || ''),
        });
      } else if (!clickable && !e.closest(CLICKABLE + ', select') && !e.children.length
                 && /^\s*\d+\s*$/.test(e.textContent || '')) {
        numbers.push(parseInt(e.textContent, 10));
      }
    }
    const box = Array.from(scope.querySelectorAll('input')).find(
      x => /^(text|number)$/.test(x.type || 'text') && shown(x));
    scopes.push({
      controls,
      current: numbers,
      text: readText(scope).replace(/\s+/g, ' ').trim().slice(0, 400),
      box: box ? cssPath(box) : null,
    });
  }
  return scopes;
};
const sortLinkOf = g => {
  const cell = cellEls(g.rows[g.h])[g.column];
  const link = cell && cell.querySelector(CLICKABLE);
  return link && shown(link) ? cssPath(link) : null;
};

const g = findGrid();
if (args.before !== undefined && args.before !== null) {
  if (!g) return false;
  const now = read(g);
  return !now.loading && (now.signature !== args.before || g.t.__emsysMark !== args.mark);
}
if (!g) return null;
const out = read(g);
out.prevMark = g.t.__emsysMark || null;
if (args.mark) g.t.__emsysMark = args.mark;
out.pager = pagerOf(g.t);
out.sort = sortLinkOf(g);
out.gridCss = cssPath(g.t);
return out;
