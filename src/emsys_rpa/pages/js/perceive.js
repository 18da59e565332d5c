// Finding one control the way a person does, in one pass over the page.
// args: {kind, labels, loose, text, maxRank, near, nth, prefer, suggest}
//   kind  press | menu | tab: something to click, named by its text (menu/tab: exact only);
//         check: a checkbox-like thing next to its label; type: a text box by its label, or
//         the nth visible text box after the text `near` in that text's row.
// Returns {found: [{rank, how, css, control, name, checked, disabled, at}], preferred,
// suggestions}:
// the matches best first (rank = the strategy's place in the order of preference), `css`
// the element a person would click (a label drawn over its hidden box), `control` the control,
// `at` the middle of what is clicked when a click there would reach it now (in view, on top of
// whatever else is drawn there), else null.
const wanted = args.labels.map(norm).filter(Boolean);
const wantedWords = args.labels.map(words).filter(w => w.trim());
const isWanted = s => wanted.includes(norm(s || ''));
const containsWanted = s => {
  const w = words(s || '');
  return wantedWords.some(x => w.includes(x));
};
// A text node that may be (part of) one of the labels: everything else is skipped unread.
const partOfWanted = data => {
  const n = norm(data);
  return !!n && wanted.some(w => w.includes(n));
};
const kind = args.kind;
const found = [];
const has = control => found.some(f => f.control === control);
const add = (control, rank, how, operate) => {
  if (disabled(control)) rank += 10;
  if (rank > args.maxRank || has(control)) return;
  found.push({control, operate: operate || control, rank, how});
};

// -- something to click ------------------------------------------------------------------------
const pressables = () => Array.from(document.querySelectorAll(PRESSABLE)).filter(shown);

const findPressable = () => {
  const controls = pressables();
  for (const c of controls) if (isWanted(nameOf(c))) add(c, 0, 'name');
  if (args.text) {
    for (const e of textElements(null, partOfWanted)) {
      if (!shown(e)) continue;
      // The smallest element saying exactly the label: this one, or one holding it and more
      // words ("<b>Trimite</b> alerta").
      const own = norm(textOf(e));
      let n = e;
      for (let up = 0; n && up < 3 && !isWanted(textOf(n)); up++) n = n.parentElement;
      if (!n || !isWanted(textOf(n)) || !norm(textOf(n)).includes(own) || !shown(n)) continue;
      if (found.some(f => n.contains(f.control) && f.control !== n)) continue;
      const control = n.closest(PRESSABLE);
      if (control && has(control)) continue;
      let rank = 1, how = 'text';
      if (kind === 'menu') {
        const inMenu = n.closest('li, [role=menu], [role=menubar], [role=tablist], nav');
        rank = inMenu ? 1 : 2;
        how = inMenu ? 'item-text' : 'text';
      }
      add(control && shown(control) ? control : n, rank, how);
    }
    if (kind !== 'menu') {
      for (const e of document.querySelectorAll('[title], img[alt], input[alt]')) {
        if (!isWanted(e.getAttribute('title')) && !isWanted(e.getAttribute('alt'))) continue;
        const target = e.tagName === 'IMG' ? e.closest(PRESSABLE) || e : e;
        if (shown(target)) add(target, 2, 'title');
      }
    }
  }
  if (args.loose) for (const c of controls) if (containsWanted(nameOf(c))) add(c, 3, 'contains');
};

// -- a checkbox-like thing ---------------------------------------------------------------------
// The node beside `n` (dir 1: after, -1: before), skipping blanks; a line break ends the line.
const beside = (n, dir) => {
  let s = dir > 0 ? n.nextSibling : n.previousSibling;
  while (s) {
    if (s.nodeType === 1 && s.tagName === 'BR') return null;
    const blank = s.nodeType === 8 || (s.nodeType === 3 && !s.data.trim())
      || (s.nodeType === 1 && !textOf(s) && !shown(s));
    if (!blank) return s;
    s = dir > 0 ? s.nextSibling : s.previousSibling;
  }
  return null;
};
const says = n => !!n && isWanted(n.nodeType === 3 ? n.data : textOf(n));

// Does the label sit right beside the box (or beside the wrapper that draws it)?
const besideSays = (box, dir) => {
  if (says(beside(box, dir))) return true;
  const wrapper = box.parentElement;
  return !!wrapper && !norm(textOf(wrapper)) && says(beside(wrapper, dir));
};

const cellSays = box => {
  const cell = box.closest('td, th, [role=cell], [role=gridcell]');
  if (!cell || norm(textOf(cell))) return false;
  return says(cell.previousElementSibling) || says(cell.nextElementSibling);
};

// What a person clicks to change the box: the box itself when it is drawn and on top;
// its label when the label covers it or the box is visually hidden; a box drawn beside it.
const operable = box => {
  if (box.tagName !== 'INPUT') return shown(box) ? box : null;
  const labels = labelsOf(box).filter(shown);
  const onLabel = top => labels.find(l => l === top || l.contains(top));
  const r = box.getBoundingClientRect();
  const drawn = box.getClientRects().length && r.width * r.height >= 9
    && getComputedStyle(box).visibility !== 'hidden';
  if (drawn) {
    const top = hit(box);
    if (!top || top === box || box.contains(top)) return shown(box) || top === box ? box : null;
    if (onLabel(top)) return onLabel(top);
    if (box.parentElement && box.parentElement.contains(top) && !top.contains(box)) return top;
    if (shown(box)) return box;
  }
  if (labels.length) return labels[0];
  const parent = box.parentElement;
  const sibling = parent && Array.from(parent.children)
    .find(c => c !== box && shown(c) && !norm(textOf(c)));
  return sibling || null;
};

const findCheckable = () => {
  const boxes = Array.from(document.querySelectorAll(CHECKLIKE));
  const loose = [];
  for (const box of boxes) {
    const operate = operable(box);
    if (!operate) continue;
    if (isWanted(nameOf(box))) add(box, 0, 'name', operate);
    else if (besideSays(box, 1)) add(box, 1, 'beside', operate);
    else if (cellSays(box)) add(box, 2, 'cell', operate);
    else if (besideSays(box, -1)) add(box, 3, 'before', operate);
    else loose.push([box, operate]);
  }
  if (!loose.length || found.length) return;
  // The label is drawn near a box with nothing linking them: the box nearest to it, on its line.
  const texts = textElements(null, partOfWanted).filter(e => isWanted(textOf(e)) && shown(e));
  for (const t of texts) {
    const tr = t.getBoundingClientRect();
    let best = null, bestGap = 250;
    for (const [box, operate] of loose) {
      const br = operate.getBoundingClientRect();
      const sameLine = br.bottom >= tr.top - 4 && br.top <= tr.bottom + 4;
      if (!sameLine) continue;
      const gap = Math.max(tr.left - br.right, br.left - tr.right, 0);
      if (gap < bestGap) { best = [box, operate]; bestGap = gap; }
    }
    if (best) add(best[0], 4, 'nearest', best[1]);
  }
};

// -- a text box ----------------------------------------------------------------------------------
const findTypable = () => {
  const inputs = Array.from(document.querySelectorAll(TEXTISH)).filter(shown);
  for (const i of inputs) {
    if (isWanted(nameOf(i))) add(i, 0, 'label');
    else if (isWanted(i.getAttribute('placeholder')) || isWanted(i.getAttribute('title'))) {
      add(i, 1, 'placeholder');
    } else if (!/\d/.test(i.value || '') && isWanted(i.value)) add(i, 1, 'hint-value');
  }
  if (!args.near) return;
  // No label at all: the boxes that hold dates (or wait for one) are the period.
  const DATED = /^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|[_\d]{2}\/[_\d]{2}\/[_\d]{4})\s*$/;
  const dated = inputs.filter(i => i.type === 'date' || DATED.test(i.value || ''));
  if (dated.length >= 2 && dated.length > args.nth) add(dated[args.nth], 3, 'dated');
  const near = norm(args.near);
  const anchors = textElements(null, data => norm(data).startsWith(near)).filter(e => {
    const t = norm(textOf(e));
    return t.startsWith(near) && t.length <= near.length + 20 && shown(e);
  });
  for (const anchor of anchors) {
    let box = anchor, after = [];
    for (let up = 0; up < 6 && box; up++) {
      after = inputs.filter(i => box.contains(i)
        && (anchor.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (after.length || box === document.body) break;
      box = box.parentElement;
    }
    if (after.length > args.nth) {
      add(after[args.nth], 2, 'row');
      break;
    }
  }
};

if (kind === 'check') findCheckable();
else if (kind === 'type') findTypable();
else findPressable();

const before = (a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
found.sort((a, b) => a.rank - b.rank || (a.control === b.control ? 0 : before(a.control, b.control)));
let preferred = false;
if (args.prefer) {
  const index = found.findIndex(f => f.how === args.prefer);
  preferred = index >= 0;
  if (index > 0) found.unshift(found.splice(index, 1)[0]);
}

// What is there instead, for "did you mean": controls of the same kind and what they say.
const suggestions = [];
if (args.suggest && !found.length) {
  const pool = kind === 'check' ? Array.from(document.querySelectorAll(CHECKLIKE))
    : kind === 'type' ? Array.from(document.querySelectorAll(TEXTISH))
    : [...pressables(), ...document.querySelectorAll('[onclick]')];
  const seen = new Set();
  for (const e of pool) {
    if (seen.has(e) || suggestions.length >= 80) continue;
    seen.add(e);
    const operate = kind === 'check' ? operable(e) : shown(e) ? e : null;
    if (!operate) continue;
    let name = nameOf(e);
    if (!name && kind === 'check') {
      const next = beside(e, 1) || (e.parentElement && beside(e.parentElement, 1));
      name = next ? (next.nodeType === 3 ? next.data : textOf(next)) : '';
    }
    if (!name && kind === 'type') name = e.getAttribute('placeholder') || '';
    name = (name || '').replace(/\s+/g, ' ').trim();
    if (!name || name.length > 80) continue;
    suggestions.push({name, role: roleOf(e), css: cssPath(e)});
  }
}

const middle = e => {
  const r = e.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
};
const reaches = e => (top => !!top && (top === e || e.contains(top)))(hit(e));

return {
  found: found.slice(0, 5).map(f => ({
    rank: f.rank,
    how: f.how,
    css: cssPath(f.operate),
    control: cssPath(f.control),
    name: nameOf(f.control).slice(0, 120),
    checked: kind === 'check' ? isChecked(f.control) : null,
    disabled: disabled(f.control),
    // The frame's own coordinates of that middle, when a click there reaches it.
    at: reaches(f.operate) ? middle(f.operate) : null,
  })),
  preferred,
  suggestions,
};
