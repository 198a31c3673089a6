// The board: one row per try, one cell per letter. Cells are built once per game and then
// updated in place, so a reveal animation is never restarted by the next keystroke.

import { MARK_MEANINGS } from './letters.js';

/** For each column, the letter the player has already placed correctly (the first is given). */
export function knownLetters(game) {
  const known = Array(game.length).fill('');
  known[0] = game.first_letter;
  for (const guess of game.guesses) {
    guess.marks.forEach((mark, col) => {
      if (mark === 'correct') known[col] = guess.word[col];
    });
  }
  return known;
}

/** What each cell shows: `{letter, mark}` with mark in correct|present|absent|typed|hint|empty. */
export function cellsFor(game, typed) {
  const rows = [];
  const known = knownLetters(game);
  for (let row = 0; row < game.max_tries; row += 1) {
    const guess = game.guesses[row];
    const isInputRow = !guess && row === game.guesses.length && game.status === 'playing';
    const cells = [];
    for (let col = 0; col < game.length; col += 1) {
      if (guess) {
        cells.push({ letter: guess.word[col], mark: guess.marks[col] });
      } else if (isInputRow && col < typed.length) {
        cells.push({ letter: typed[col], mark: 'typed' });
      } else if (isInputRow && known[col]) {
        cells.push({ letter: known[col], mark: 'hint' });
      } else {
        cells.push({ letter: '', mark: 'empty' });
      }
    }
    rows.push({ cells, isInputRow });
  }
  return rows;
}

function describe(letter, mark) {
  if (!letter) return 'vide';
  if (mark === 'hint') return `${letter}, indice`;
  if (mark === 'typed') return letter;
  return `${letter}, ${MARK_MEANINGS[mark]}`;
}

export class Grid {
  constructor(container) {
    this.container = container;
    this.shape = '';
  }

  build(length, tries) {
    this.container.replaceChildren();
    this.container.style.setProperty('--len', String(length));
    this.rows = [];
    for (let row = 0; row < tries; row += 1) {
      const rowEl = document.createElement('div');
      rowEl.className = 'grid-row';
      rowEl.setAttribute('role', 'row');
      rowEl.setAttribute('aria-label', `Ligne ${row + 1}`);
      rowEl.dataset.testid = `row-${row}`;
      const cells = [];
      for (let col = 0; col < length; col += 1) {
        const cell = document.createElement('div');
        cell.className = 'cell';
        cell.setAttribute('role', 'cell');
        cell.dataset.testid = `cell-${row}-${col}`;
        cell.dataset.row = String(row);
        cell.dataset.col = String(col);
        cell.dataset.mark = 'empty';
        cell.dataset.letter = '';
        cell.style.setProperty('--i', String(col));
        const glyph = document.createElement('span');
        glyph.className = 'glyph';
        glyph.setAttribute('aria-hidden', 'true');
        cell.append(glyph);
        cell.setAttribute('aria-label', 'vide');
        rowEl.append(cell);
        cells.push(cell);
      }
      this.container.append(rowEl);
      this.rows.push({ el: rowEl, cells });
    }
    this.shape = `${length}x${tries}`;
  }

  /** Shows `game` with the letters being typed; `revealRow` animates a freshly marked row. */
  render(game, typed, revealRow = -1) {
    if (this.shape !== `${game.length}x${game.max_tries}` || this.gameId !== game.id) {
      this.build(game.length, game.max_tries);
      this.gameId = game.id;
    }
    cellsFor(game, typed).forEach(({ cells, isInputRow }, row) => {
      const { el, cells: cellEls } = this.rows[row];
      el.classList.toggle('is-input', isInputRow);
      cells.forEach(({ letter, mark }, col) => {
        const cell = cellEls[col];
        if (cell.dataset.letter === letter && cell.dataset.mark === mark) return;
        cell.dataset.letter = letter;
        cell.dataset.mark = mark;
        cell.firstChild.textContent = letter;
        cell.setAttribute('aria-label', describe(letter, mark));
        cell.classList.toggle('reveal', row === revealRow);
        if (mark === 'typed') {
          // Restart the small "pop" each time a letter lands.
          cell.classList.remove('pop');
          void cell.offsetWidth;
          cell.classList.add('pop');
        }
      });
    });
  }

  shakeRow(row) {
    const el = this.rows?.[row]?.el;
    if (!el) return;
    el.classList.remove('shake');
    void el.offsetWidth;
    el.classList.add('shake');
  }
}
