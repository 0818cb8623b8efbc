// The initial JavaScript of the built app — every script index.html loads or preloads —
// gzipped, against the budget of issue 9 (300 KB). Routes are code-split, so this is what a
// first visit downloads before any page's own chunk. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const budgetKb = 300;
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
let total = 0;
for (const script of scripts) {
  const size = gzipSync(readFileSync(new URL(script, dist)), { level: 9 }).length;
  total += size;
  console.log(`${script}  ${(size / 1024).toFixed(1)} KB`);
}
console.log(`initial JavaScript, gzipped: ${(total / 1024).toFixed(1)} KB (budget ${budgetKb} KB)`);
if (total > budgetKb * 1024) {
  console.error('over budget: split more routes or drop a dependency');
  process.exit(1);
}
