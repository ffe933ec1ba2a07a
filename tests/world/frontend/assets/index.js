// The world's stand-in for Warungin's Vite build: a tiny SPA shell that asks the API.
fetch('/api/health').then(r => r.json()).then(h => {
  document.getElementById('root').textContent = 'Warungin POS - API ' + h.status;
});
