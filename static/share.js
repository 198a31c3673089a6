// The spoiler-free result grid and copying it to the clipboard.

const EMOJI = { correct: '🟥', present: '🟡', absent: '🟦' };

export function shareText(game) {
  const tries = game.status === 'won' ? String(game.guesses.length) : 'X';
  const kind = game.mode === 'challenge' ? 'défi' : 'entraînement';
  const title =
    game.mode === 'daily'
      ? `Motus ${game.date} ${tries}/${game.max_tries}`
      : `Motus ${kind} ${game.length} lettres ${tries}/${game.max_tries}`;
  const rows = game.guesses.map((g) => g.marks.map((m) => EMOJI[m] || '⬜').join(''));
  return [title, ...rows].join('\n');
}

function copyWithTextarea(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Resolves to true once the text is on the clipboard. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or no focus: the old way may still work.
    }
  }
  return copyWithTextarea(text);
}
