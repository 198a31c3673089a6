// The countdown to the next daily word, shown once today's is played. The server says when the
// next word comes (`next_daily_at` in `/api/me`: the next midnight in Paris); the page only
// counts down to it with the device's clock.

/** "05:12:33" for the time left until `nextAt` (Unix seconds) at `nowMs`; never negative. */
export function timeLeft(nextAt, nowMs) {
  const left = Math.max(0, Math.ceil(nextAt - nowMs / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(left / 3600))}:${pad(Math.floor(left / 60) % 60)}:${pad(left % 60)}`;
}

/** The sentence shown: the time left, or that the new word is there. */
export function countdownText(nextAt, nowMs) {
  return nextAt * 1000 <= nowMs
    ? 'Le nouveau mot du jour est disponible.'
    : `Prochain mot dans ${timeLeft(nextAt, nowMs)}`;
}

let timer = null;

/** Shows the countdown in `box` and updates it every second, until [`stopCountdown`]. */
export function startCountdown(box, nextAt) {
  stopCountdown();
  const tick = () => {
    box.textContent = countdownText(nextAt, Date.now());
  };
  tick();
  box.hidden = false;
  timer = setInterval(tick, 1000);
}

export function stopCountdown() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}
