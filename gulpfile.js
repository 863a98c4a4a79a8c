// The build's one static-asset job: tsc emits the JavaScript (and the codex
// .node.json files); this copies the SVG icons beside it so n8n can load them
// from dist/, mirroring the source layout (nodes/…, credentials/…, icons/…).
const { src, dest, task } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.svg', 'credentials/**/*.svg', 'icons/**/*.svg'], { base: '.' }).pipe(dest('dist')),
);
