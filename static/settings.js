// Display preferences, kept in localStorage and applied as attributes on <html> so that
// style.css can switch its custom properties.

const KEY = 'motus.settings';

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || '{}');
    return { dark: saved.dark, colorblind: Boolean(saved.colorblind) };
  } catch {
    return { dark: undefined, colorblind: false };
  }
}

function save(settings) {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

let current = load();

function apply() {
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  const dark = current.dark === undefined ? Boolean(prefersDark) : current.dark;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.palette = current.colorblind ? 'colorblind' : 'classic';
}

export function isColorblind() {
  return current.colorblind;
}

export function initSettings() {
  apply();
  const dialog = document.getElementById('settings');
  const dark = document.getElementById('settings-dark');
  const colorblind = document.getElementById('settings-colorblind');
  const sync = () => {
    dark.checked = document.documentElement.dataset.theme === 'dark';
    colorblind.checked = current.colorblind;
  };
  document.getElementById('open-settings').addEventListener('click', () => {
    sync();
    dialog.showModal();
  });
  document.getElementById('settings-close').addEventListener('click', () => dialog.close());
  dark.addEventListener('change', () => {
    current = { ...current, dark: dark.checked };
    save(current);
    apply();
  });
  colorblind.addEventListener('change', () => {
    current = { ...current, colorblind: colorblind.checked };
    save(current);
    apply();
  });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', apply);
}
