// npm install api-smart-diff@1.0.6; node api_smart_diff.cjs CASES_DIR (written by cases.py).
const { apiDiff } = require('api-smart-diff');
const fs = require('fs');
const dir = process.argv[2];
const expected = JSON.parse(fs.readFileSync(dir + '/expected.json'));
for (const name of Object.keys(expected)) {
  const before = JSON.parse(fs.readFileSync(`${dir}/${name}/old.json`));
  const after = JSON.parse(fs.readFileSync(`${dir}/${name}/new.json`));
  let diffs;
  try { diffs = apiDiff(before, after); } catch (e) { console.log(`${name}\t${expected[name]}\tERROR ${e.message}`); continue; }
  const counts = {};
  for (const d of diffs) counts[d.type] = (counts[d.type] || 0) + 1;
  const br = diffs.filter(d => d.type === 'breaking').slice(0, 2).map(d => `${d.action} ${d.path.join('/')}`);
  console.log(`${name}\t${expected[name]}\t${JSON.stringify(counts)}\t${br.join(' | ')}`);
}
