// Shared helpers of the in-page scripts (pages/inpage.py prepends `fold` and appends a script).
// They read the page the way a person does: what is shown, what it says, what is on top.

// A label as compared: folded, dashes dropped ("E-mail" = "Email"), a trailing colon or
// asterisk ignored ("Fundal:" = "Fundal").
const norm = s => fold(s).replace(/\s*[-\u2010\u2011\u2012\u2013\u2014]\s*/g, '')
  .replace(/^[\s:*]+|[\s:*]+$/g, '');
// The same, as words: "✉ Trimite alerta!" contains the words "trimite alerta".
const words = s => ' ' + norm(s).replace(/[^a-z0-9/]+/g, ' ').trim() + ' ';
const textOf = e => ((e.innerText !== undefined ? e.innerText : e.textContent) || '')
  .replace(/\s+/g, ' ').trim();

const opacityOf = e => {
  let o = 1;
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    o *= parseFloat(getComputedStyle(n).opacity || '1');
    if (o < 0.05) return o;
  }
  return o;
};

// Drawn where a person can see it: a box of some size, not hidden, not transparent, on the page.
const shown = e => {
  if (!e || !e.isConnected || !e.getClientRects().length) return false;
  const cs = getComputedStyle(e);
  if (cs.visibility === 'hidden' || cs.visibility === 'collapse') return false;
  const r = e.getBoundingClientRect();
  if (r.width * r.height < 9) return false;
  if (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0) return false;
  return opacityOf(e) >= 0.05;
};

// The element a click at the middle of `e` would reach; null when `e` is outside the viewport.
const hit = e => {
  const r = e.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) return null;
  return document.elementFromPoint(x, y);
};

const ariaName = e => {
  const label = e.getAttribute('aria-label');
  if (label && label.trim()) return label.trim();
  const ids = (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  return ids.map(id => document.getElementById(id)).filter(Boolean).map(textOf).join(' ').trim();
};

const labelsOf = e => Array.from(e.labels || []);

// The accessible name, simplified: aria, then what the control says or its labels say.
const nameOf = e => {
  const aria = ariaName(e);
  if (aria) return aria;
  const tag = e.tagName;
  if (tag === 'INPUT') {
    const type = (e.type || '').toLowerCase();
    if (['button', 'submit', 'reset'].includes(type)) return e.value || '';
    if (type === 'image') return e.alt || e.title || e.value || '';
    const own = labelsOf(e).map(textOf).join(' ').trim();
    return own || e.title || '';
  }
  if (tag === 'IMG') return e.alt || e.title || '';
  if (tag === 'SELECT' || tag === 'TEXTAREA') {
    return labelsOf(e).map(textOf).join(' ').trim() || e.title || '';
  }
  let text = textOf(e);
  if (!text) {
    const img = e.querySelector('img[alt], input[type=image][alt]');
    if (img) text = img.getAttribute('alt') || '';
  }
  return text || e.getAttribute('title') || '';
};

// A CSS selector that finds `e` again (by a unique id, else by its place under one).
const cssPath = e => {
  const parts = [];
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    if (n.id && document.querySelectorAll('#' + CSS.escape(n.id)).length === 1) {
      parts.unshift('#' + CSS.escape(n.id));
      return parts.join(' > ');
    }
    const parent = n.parentElement;
    if (!parent) {
      parts.unshift(n.tagName.toLowerCase());
      break;
    }
    parts.unshift(n.tagName.toLowerCase() + ':nth-child('
      + (Array.prototype.indexOf.call(parent.children, n) + 1) + ')');
  }
  return parts.join(' > ');
};

const PRESSABLE = 'button, input[type=button], input[type=submit], input[type=reset], '
  + 'input[type=image], a[href], a[onclick], [role=button], [role=link], [role=menuitem], '
  + '[role=tab], [role=menuitemradio], summary';
const CHECKLIKE = 'input[type=checkbox], [role=checkbox], [role=switch], '
  + '[role=menuitemcheckbox], button[aria-pressed], [role=button][aria-pressed]';
const TEXTISH = 'input:not([type]), input[type=text], input[type=email], input[type=date], '
  + 'input[type=search], input[type=tel], input[type=number], textarea';

const roleOf = e => {
  const role = e.getAttribute('role');
  if (role) return role.split(/\s+/)[0];
  const tag = e.tagName;
  if (tag === 'A') return 'link';
  if (tag === 'INPUT') {
    const type = (e.type || 'text').toLowerCase();
    if (type === 'checkbox') return 'checkbox';
    if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
    return 'textbox';
  }
  if (tag === 'BUTTON' || tag === 'SUMMARY') return 'button';
  if (tag === 'TEXTAREA') return 'textbox';
  return '';
};

const disabled = e => !!(e.disabled || e.getAttribute('aria-disabled') === 'true'
  || e.closest('fieldset[disabled]'));

const isChecked = e => {
  if (e.tagName === 'INPUT') return !!e.checked;
  const state = e.getAttribute('aria-checked') || e.getAttribute('aria-pressed') || '';
  return state.toLowerCase() === 'true';
};

// The elements holding text nodes, in document order: where a person reads a word.
// `keep(text)` filters the text nodes first (cheap), so a large grid costs little.
const textElements = (root, keep) => {
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || seen.has(parent)) continue;
    if (keep && !keep(node.data)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(parent.tagName)) continue;
    seen.add(parent);
    out.push(parent);
  }
  return out;
};

// Red text (validation labels, error summaries), by its computed colour.
const looksRed = e => {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(e).color || '');
  return !!m && +m[1] >= 150 && +m[2] <= 90 && +m[3] <= 90;
};
