// What a date box tells a person about the format it wants: its value, its placeholder and
// title, and the words of its row (a hint such as "(zz/ll/aaaa)" written beside it).
const box = el;
let row = box.parentElement;
for (let up = 0; row && up < 4; up++) {
  if (row.matches('tr, fieldset, li, p, dd, [role=row], [role=group]')) break;
  if (textOf(row).length > 40) break;
  row = row.parentElement;
}
const rowText = row ? textOf(row).slice(0, 300) : '';
return {
  value: box.value || '',
  placeholder: box.getAttribute('placeholder') || '',
  title: box.getAttribute('title') || '',
  type: (box.getAttribute('type') || 'text').toLowerCase(),
  row: rowText,
};
