// Small helpers shared by the leaderboard and history tables.

/** The list inside a score answer, whatever it is called there. */
export function listIn(data, names) {
  if (Array.isArray(data)) return data;
  for (const name of names) {
    if (Array.isArray(data?.[name])) return data[name];
  }
  return [];
}

export function firstOf(object, names, fallback = '') {
  for (const name of names) {
    if (object?.[name] !== undefined && object[name] !== null) return object[name];
  }
  return fallback;
}

export function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  if (tag === 'th') el.scope = 'row';
  return el;
}
