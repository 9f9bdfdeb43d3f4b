// Fails when the workspace dependency graph has a cycle, or when a package depends on a service.
// The graph is the one package.json files declare, which is also the TypeScript reference graph.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'services'];
const graph = new Map();
const kind = new Map();
for (const root of roots) {
  for (const dir of readdirSync(root)) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) =>
      d.startsWith('@nexo/'),
    );
    graph.set(pkg.name, deps);
    kind.set(pkg.name, root);
  }
}
const problems = [];
for (const [name, deps] of graph) {
  for (const dep of deps) {
    if (kind.get(name) === 'packages' && kind.get(dep) === 'services')
      problems.push(`${name} depends on service ${dep}`);
    if (kind.get(name) === 'services' && kind.get(dep) === 'services' && name !== '@nexo/hub')
      problems.push(`${name} depends on service ${dep}`);
  }
}
const state = new Map();
const visit = (name, path) => {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'active') {
    problems.push(`dependency cycle: ${[...path, name].join(' -> ')}`);
    return;
  }
  state.set(name, 'active');
  for (const dep of graph.get(name) ?? []) visit(dep, [...path, name]);
  state.set(name, 'done');
};
for (const name of graph.keys()) visit(name, []);
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`dependency graph: ${graph.size} workspace packages, no cycle, no package depends on a service`);
