// The way back from a tab: `el` is a tab about to be opened; which tab does the screen show now?
// Returns {text, css} of that tab, or null when it cannot be told (the robot then uses the menu):
//   - the one tab marked selected: aria-selected / aria-current, or a class saying so in the
//     words toolkits use ("active", "selected", "current", "rtsSelected", "…_active");
//   - else, in a strip of two, the other tab if it is drawn apart from `el` (a highlighted tab:
//     another background, weight, colour or border) and is not a form button: two look-alike
//     buttons side by side are a toolbar, and clicking an unknown button is never a way back.
// A strip: `el` or an ancestor (a few levels up) with 2–12 shown siblings of the same kind, in
// a row or a column, each a short text.
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
const pressOf = e => e.matches(PRESSABLE) ? e : e.querySelector(PRESSABLE) || e;
const drawn = e => {
  const box = getComputedStyle(e);
  const text = getComputedStyle(pressOf(e));
  return [box.backgroundColor, box.borderBottomColor, box.borderBottomWidth, box.borderTopWidth,
    text.backgroundColor, text.color, text.fontWeight, text.textDecorationLine].join('|');
};
const formButton = e => pressOf(e).matches('button, input') && roleOf(pressOf(e)) !== 'tab';
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
let home = null;
if (selected.length === 1) home = selected[0];
else if (!selected.length && others.length === 1 && !formButton(others[0])
  && drawn(others[0]) !== drawn(mine)) home = others[0];
if (!home) return null;
return { text: textOf(home), css: cssPath(pressOf(home)) };
