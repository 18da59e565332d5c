// The way back from a tab: `el` is a tab about to be opened; which tab does the screen show now?
// Returns {text, css} of that tab (the one marked selected, or the only other tab of a strip of
// two), or null when the strip or the shown tab cannot be told apart.
// A strip: `el` or an ancestor (a few levels up) with 2–12 shown siblings of the same kind, in
// a row or a column, each a short text. Marked selected: aria-selected / aria-current, or a class saying
// so in the words toolkits use ("active", "selected", "current", "rtsSelected", "…_active").
const MARK = /(^|[\s_-])(active|selected|current)([\s_-]|$)|[a-z](Selected|Active|Current)(\s|$)/;
const marked = e => [e, ...e.querySelectorAll('*')].some(n => {
  if (n.getAttribute('aria-selected') === 'true') return true;
  const current = n.getAttribute('aria-current');
  if (current && current !== 'false') return true;
  return MARK.test(n.getAttribute('class') || '');
});
const aligned = (items, mine) => {
  const r = mine.getBoundingClientRect();
  const near = (side, size) => items.every(
    c => Math.abs(c.getBoundingClientRect()[side] - r[side]) < Math.max(size, 8));
  return near('top', r.height) || near('left', r.width / 4);  // a row, or a column
};
let items = null;
let mine = null;
for (let n = el, up = 0; n && n.parentElement && up < 5 && !items; n = n.parentElement, up++) {
  const same = Array.from(n.parentElement.children).filter(c => c.tagName === n.tagName
    && shown(c) && textOf(c) && textOf(c).length <= 60);
  if (same.length >= 2 && same.length <= 12 && same.includes(n) && aligned(same, n)) {
    items = same;
    mine = n;
  }
}
if (!items || marked(mine)) return null;
const others = items.filter(c => c !== mine);
const selected = others.filter(marked);
const home = selected.length === 1 ? selected[0] : others.length === 1 ? others[0] : null;
if (!home) return null;
const press = home.matches(PRESSABLE) ? home : home.querySelector(PRESSABLE) || home;
return { text: textOf(home), css: cssPath(press) };
