// The player's statistics as score reports them, drawn as figures and a bar chart.

const TRIES = ['1', '2', '3', '4', '5', '6'];

/** Win percentage: score's `win_rate` is a fraction from 0 to 1. */
export function winPercent(stats) {
  return Math.round(100 * stats.win_rate);
}

function figure(testid, value, label) {
  const item = document.createElement('div');
  item.className = 'stat';
  const number = document.createElement('span');
  number.className = 'stat-value';
  number.dataset.testid = testid;
  number.textContent = value;
  const caption = document.createElement('span');
  caption.className = 'stat-label';
  caption.textContent = label;
  item.append(number, caption);
  return item;
}

/**
 * Fills `container`; `highlight` is the number of tries of the game just won, if any. Practice
 * statistics have no streaks (`streaks: false`).
 */
export function renderStats(container, stats, highlight = null, { streaks = true } = {}) {
  container.replaceChildren();
  if (!stats) {
    const note = document.createElement('p');
    note.className = 'note';
    note.dataset.testid = 'stats-unavailable';
    note.textContent = 'Statistiques indisponibles pour le moment.';
    container.append(note);
    return;
  }
  const figures = document.createElement('div');
  figures.className = 'stat-figures';
  figures.append(
    figure('stats-played', String(stats.played), stats.played > 1 ? 'parties' : 'partie'),
    // French puts a space before %; a no-break one, so a phone's narrow column keeps "100 %" whole.
    figure('stats-win-rate', `${winPercent(stats)}\u00a0%`, 'victoires'),
  );
  if (streaks) {
    figures.append(
      figure('stats-current-streak', String(stats.current_streak), 'série en cours'),
      figure('stats-best-streak', String(stats.best_streak), 'meilleure série'),
    );
  }

  const title = document.createElement('h3');
  title.className = 'dist-title';
  title.textContent = 'Répartition des victoires par nombre d’essais';
  const list = document.createElement('ol');
  list.className = 'distribution';
  list.dataset.testid = 'stats-distribution';
  const { distribution } = stats;
  const max = Math.max(1, ...TRIES.map((t) => distribution[t]));
  for (const tries of TRIES) {
    const count = distribution[tries];
    const item = document.createElement('li');
    item.className = 'dist-row';
    const label = document.createElement('span');
    label.className = 'dist-label';
    label.textContent = tries;
    const bar = document.createElement('span');
    bar.className = 'dist-bar';
    bar.dataset.testid = `dist-bar-${tries}`;
    bar.dataset.count = String(count);
    bar.style.setProperty('--share', String(Math.max(count / max, 0.08)));
    if (String(highlight) === tries) bar.classList.add('is-current');
    bar.textContent = String(count);
    const spoken = document.createElement('span');
    spoken.className = 'visually-hidden';
    spoken.textContent = ` ${count > 1 ? 'victoires' : 'victoire'} en ${tries} essai${tries === '1' ? '' : 's'}`;
    item.append(label, bar, spoken);
    list.append(item);
  }
  container.append(figures, title, list);
}
