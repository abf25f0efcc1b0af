/** The dashboard's HTML shell: static markup only; the script fills it from the API. */
export function dashboardHtml(version: string): string {
  const v = encodeURIComponent(version);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sitrep · conflict events</title>
<link rel="stylesheet" href="/assets/app.css?v=${v}">
<script type="module" src="/assets/app.js?v=${v}"></script>
</head>
<body>
<div id="app" aria-busy="true"><div class="boot">Loading Sitrep…</div></div>
</body>
</html>`;
}
