// Screen-reader announcements through one polite live region.

let timer = null;

export function announce(text) {
  const region = document.getElementById('live');
  // Emptying first makes a repeated sentence be read again.
  region.textContent = '';
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.textContent = text;
  }, 50);
}
