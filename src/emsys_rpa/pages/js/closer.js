// The control that closes the window holding `el` (its X, a Close word, Renunț), in one pass.
// args: {mode, order, words}
//   mode "window": the innermost ancestor drawn as a window, and a close control inside it;
//   mode "inside": a close control anywhere under `el` (a frame's body);
//   mode "nearest": the nearest ancestor of `el` holding a close control.
// Returns {css, kind, window} (css null when none; window: a window-like ancestor was found).
const looksLikeWindow = e => {
  const role = (e.getAttribute('role') || '').toLowerCase();
  if (role === 'dialog' || role === 'alertdialog' || e.tagName === 'DIALOG') return true;
  if ((e.getAttribute('aria-modal') || '') === 'true') return true;
  if (e === document.body || e === document.documentElement) return false;
  const style = getComputedStyle(e);
  if (style.position !== 'fixed' && style.position !== 'absolute') return false;
  const box = e.getBoundingClientRect();
  return box.width >= 120 && box.height >= 60;
};
const wanted = {};
for (const kind of args.order) wanted[kind] = args.words[kind].map(norm);
const symbols = (args.symbols || []).map(norm);
const SAYS = PRESSABLE + ', [title], [aria-label], img[alt], span, div, td, b, i';
// A close control of `kind` inside `container`, what a person would press.
const closeIn = (container, kind) => {
  const words = wanted[kind];
  for (const c of container.querySelectorAll(SAYS)) {
    const pressable = c.closest(PRESSABLE);
    const target = pressable && container.contains(pressable) ? pressable : c;
    if (!shown(target)) continue;
    const said = [c.getAttribute('title'), c.getAttribute('aria-label'),
      c.tagName === 'IMG' ? c.getAttribute('alt') : null];
    if (said.some(s => s && words.includes(norm(s)))) return target;
    // Its own text only for a control, or a bare word (an X drawn as a span). An X says
    // "Închide" in its title, not on its face: a button reading Închide is the "close" kind.
    if (c.matches(PRESSABLE) || !c.children.length) {
      const text = norm(nameOf(c));
      const faces = kind === 'x' ? symbols : words;
      if (text && faces.includes(text)) return target;
    }
  }
  return null;
};
const firstIn = container => {
  for (const kind of args.order) {
    const found = closeIn(container, kind);
    if (found) return {css: cssPath(found), kind};
  }
  return null;
};
if (args.mode === 'inside') {
  const found = firstIn(el);
  return {css: found ? found.css : null, kind: found ? found.kind : null, window: false};
}
let windowSeen = false;
for (let n = el.parentElement; n && n !== document.documentElement; n = n.parentElement) {
  const isWindow = looksLikeWindow(n);
  if (args.mode === 'window' && !isWindow) continue;
  windowSeen = windowSeen || isWindow;
  const found = firstIn(n);
  if (found) return {css: found.css, kind: found.kind, window: isWindow};
  if (args.mode === 'window') return {css: null, kind: null, window: true};
}
return {css: null, kind: null, window: windowSeen};
