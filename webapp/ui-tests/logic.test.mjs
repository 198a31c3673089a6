// Unit tests for the UI's pure helpers: `node --test webapp/ui-tests/` (no browser, no build).
import test from 'node:test';
import assert from 'node:assert/strict';

import { foldLetters } from '../../static/letters.js';
import { cellsFor, knownLetters } from '../../static/grid.js';
import { letterStates } from '../../static/keyboard.js';
import { shareText } from '../../static/share.js';
import { winPercent } from '../../static/stats.js';
import { rowSummary } from '../../static/game.js';

const game = (over = {}) => ({
  id: 'g1',
  mode: 'daily',
  date: '2026-11-26',
  length: 6,
  first_letter: 'M',
  max_tries: 6,
  status: 'playing',
  guesses: [],
  ...over,
});

test('typed letters are folded to A-Z like the server spells words', () => {
  assert.equal(foldLetters('é'), 'E');
  assert.equal(foldLetters('Ç'), 'C');
  assert.equal(foldLetters('œ'), 'OE');
  assert.equal(foldLetters('Île-de-France'), 'ILEDEFRANCE');
  assert.equal(foldLetters('1 ?'), '');
});

test('letters found in place are carried into the next row as hints', () => {
  const g = game({
    guesses: [{ word: 'MOUTON', marks: ['correct', 'absent', 'absent', 'absent', 'correct', 'correct'] }],
  });
  assert.deepEqual(knownLetters(g), ['M', '', '', '', 'O', 'N']);
  const rows = cellsFor(g, 'MA');
  assert.deepEqual(rows[0].cells.map((c) => c.mark), g.guesses[0].marks);
  assert.equal(rows[1].isInputRow, true);
  assert.deepEqual(
    rows[1].cells.map((c) => `${c.letter}:${c.mark}`),
    ['M:typed', 'A:typed', ':empty', ':empty', 'O:hint', 'N:hint'],
  );
  assert.equal(rows[2].isInputRow, false);
  assert.ok(rows[2].cells.every((c) => c.mark === 'empty'));
});

test('the first letter is shown before anything is typed', () => {
  const rows = cellsFor(game(), '');
  assert.deepEqual(rows[0].cells[0], { letter: 'M', mark: 'hint' });
});

test('a finished game has no input row', () => {
  const g = game({ status: 'won', guesses: [{ word: 'MAISON', marks: Array(6).fill('correct') }] });
  assert.ok(cellsFor(g, '').every((r) => !r.isInputRow));
});

test('a key shows the best mark its letter ever had', () => {
  const states = letterStates([
    { word: 'MAMMAL', marks: ['correct', 'present', 'absent', 'absent', 'absent', 'absent'] },
    { word: 'MALADE', marks: ['correct', 'correct', 'absent', 'absent', 'absent', 'absent'] },
  ]);
  assert.equal(states.M, 'correct');
  assert.equal(states.A, 'correct');
  assert.equal(states.L, 'absent');
  assert.equal(states.Z, undefined);
});

test('the share text has a title line and one emoji row per try', () => {
  const g = game({
    status: 'won',
    guesses: [
      { word: 'MOUTON', marks: ['correct', 'present', 'absent', 'absent', 'correct', 'correct'] },
      { word: 'MAISON', marks: Array(6).fill('correct') },
    ],
  });
  assert.equal(shareText(g), 'Motus 2026-11-26 2/6\n🟥🟡🟦🟦🟥🟥\n🟥🟥🟥🟥🟥🟥');
  assert.match(shareText({ ...g, status: 'lost' }), /^Motus 2026-11-26 X\/6/);
  assert.match(shareText({ ...g, mode: 'practice' }), /^Motus entraînement 6 lettres 2\/6/);
  assert.ok(!shareText(g).includes('MAISON'), 'no spoiler');
});

test('win percentage is the documented 0..1 win_rate, rounded', () => {
  assert.equal(winPercent({ played: 3, won: 2, win_rate: 2 / 3 }), 67);
  assert.equal(winPercent({ played: 0, win_rate: 0 }), 0);
  assert.equal(winPercent({ win_rate: 0.5 }), 50);
  assert.equal(winPercent({ win_rate: 1 }), 100);
});

test('a marked row is summarised for screen readers in colour words', () => {
  const guess = { word: 'MAI', marks: ['correct', 'present', 'absent'] };
  assert.equal(rowSummary(guess, 1, 'classic'), 'Ligne 2 : M rouge, A jaune, I bleu');
});

test('the countdown to the next daily word reads hours, minutes and seconds, never below zero', async () => {
  const { timeLeft, countdownText } = await import('../../static/countdown.js');
  const next = 1_800_054_000;
  const at = (secondsBefore) => (next - secondsBefore) * 1000;
  assert.equal(timeLeft(next, at(5 * 3600 + 12 * 60 + 33)), '05:12:33');
  assert.equal(timeLeft(next, at(24 * 3600)), '24:00:00');
  assert.equal(timeLeft(next, at(0.4)), '00:00:01', 'a part of a second still counts');
  assert.equal(countdownText(next, at(59)), 'Prochain mot dans 00:00:59');
  assert.equal(countdownText(next, at(-10)), 'Le nouveau mot du jour est disponible.');
});
