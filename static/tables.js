// Small helpers shared by the leaderboard and history tables. The tables read the fields
// docs/api.md and docs/openapi.yaml document (Leaderboard, HistoryPage), nothing else.

export function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  if (tag === 'th') el.scope = 'row';
  return el;
}
