// The text of the message box around `el` (its OK button), as a person reads it.
const e = el;
  // What a person reads in a box: its words, an icon's glyph left out (an "i" or "!" drawn in
  // a badge, an <i> icon, anything hidden from assistive technology), and words in separate
  // boxes kept apart ("Informare" above "Operația…" is not "InformareOperația").
  const read = root => {
    const parts = [];
    const walk = n => {
      for (const c of n.childNodes) {
        if (c.nodeType === Node.TEXT_NODE) { parts.push(c.nodeValue); continue; }
        if (c.nodeType !== Node.ELEMENT_NODE) continue;
        const style = getComputedStyle(c);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const role = (c.getAttribute('role') || '').toLowerCase();
        if (c.getAttribute('aria-hidden') === 'true') continue;
        if (['img', 'presentation', 'none'].includes(role)) continue;
        const apart = style.display !== 'inline' || style.cssFloat !== 'none';
        const text = (c.textContent || '').trim();
        if (!c.children.length && text.length === 1 && !/[0-9]/.test(text)
            && (apart || c.tagName === 'I')) continue;
        if (c.tagName === 'BR') { parts.push(' '); continue; }
        if (apart) parts.push(' ');
        if (c.tagName === 'INPUT') parts.push(c.value || ''); else walk(c);
        if (apart) parts.push(' ');
      }
    };
    walk(root);
    return parts.join('').replace(/\s+/g, ' ').trim();
  };
  // The smallest ancestor of the OK button that says more than "OK": the message box.
  let node = e.parentElement;
  const own = (e.innerText || e.value || '').trim();
  while (node && node !== document.body) {
    const text = read(node);
    if (text.length > own.length + 3) return text;
    node = node.parentElement;
  }
  return '';
