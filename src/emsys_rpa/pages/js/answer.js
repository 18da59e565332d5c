// What the portal says on screen right now that reads like an answer to the last click:
// alert and status regions, validation summaries, red error labels. args: {}
const out = [];
const seen = new Set();
const keep = e => {
  if (seen.has(e) || !shown(e)) return;
  const text = textOf(e);
  if (text.length < 3 || text.length > 300) return;
  for (const s of seen) if (s.contains(e) || e.contains(s)) return;
  seen.add(e);
  out.push(text);
};
for (const e of document.querySelectorAll('[role=alert], [role=status], [aria-live=assertive]')) {
  keep(e);
}
for (const e of textElements()) {
  if (out.length >= 8) break;
  if (e.closest(PRESSABLE) || !looksRed(e)) continue;
  keep(e);
}
return out;
