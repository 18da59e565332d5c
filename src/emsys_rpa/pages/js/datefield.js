// A date box after a value was typed into it (`el`). args.mode:
//   "read": its value, and whether it is still shown;
//   "check": its value; when that is args.expected, the box is left (blurred: a date picker
//            reads what was typed when the box loses focus) and `refused` says whether it
//            shows that it did not take it (marked invalid, or drawn in red);
//   "leave": left, whatever its value, and `refused` as above.
const value = el.value;
if (args.mode === 'read') return { value, shown: shown(el) };
if (args.mode === 'check' && value !== args.expected) return { value, left: false };
el.blur();
const red = c => {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(c || '');
  return !!m && +m[1] >= 150 && +m[2] <= 90 && +m[3] <= 90;
};
const style = getComputedStyle(el);
const refused = (el.getAttribute('aria-invalid') || '') === 'true'
  || red(style.color) || red(style.borderTopColor);
return { value, left: true, refused };
