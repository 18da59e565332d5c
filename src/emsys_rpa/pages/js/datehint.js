// What a date box tells a person about the format it wants: its value, its placeholder and
// title, and the words of its row (a hint such as "(zz/ll/aaaa)" written beside it).
const box = el;
// The box's row: the nearest table row, fieldset or list item; else the widest enclosing
// element that is still only a line or two of text.
let row = null;
for (let n = box.parentElement, up = 0; n && up < 5; n = n.parentElement, up++) {
  if (textOf(n).length > 300) break;
  row = n;
  if (n.matches('tr, fieldset, li, p, dd, [role=row], [role=group]')) break;
}
const rowText = row ? textOf(row).slice(0, 300) : '';
// A hint may also sit on the line right under the row.
const after = row && row.nextElementSibling ? textOf(row.nextElementSibling).slice(0, 120) : '';
return {
  value: box.value || '',
  placeholder: box.getAttribute('placeholder') || '',
  title: box.getAttribute('title') || '',
  type: (box.getAttribute('type') || 'text').toLowerCase(),
  row: rowText,
  after,
};
