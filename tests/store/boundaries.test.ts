// The data layer's boundary, checked over the source: no database driver and no SQL outside src/store/,
// each driver only in its own dialect's folder (pg in src/store/postgres/, better-sqlite3 in src/store/sqlite/),
// SQL files only in a dialect's migrations, the store opened only at the edge (src/cli), and no import
// cycle through src/store/ (the old subscribers <-> store loop). Each rule is also shown to fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** Every file under src/, by path relative to the repository ('src/mail/sender.ts'), with its text. */
function sourceTree(dir = join(ROOT, 'src')): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) for (const [k, v] of sourceTree(p)) files.set(k, v);
    else files.set(relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8'));
  }
  return files;
}

interface Import {
  from: string;
  /** The specifier as written: a package name or a relative path. */
  spec: string;
  /** Resolved to a file of the tree when relative. */
  target?: string;
  /** `import type`, or every named specifier marked `type`: erased, no run-time edge. */
  typeOnly: boolean;
}

const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s+['"]([^'"]+)['"]/gm;
const BARE_RE = /^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(path: string, text: string): Import[] {
  const resolve = (spec: string) => (spec.startsWith('.') ? normalize(join(dirname(path), spec)).split('\\').join('/') : undefined);
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const clause = m[3].trim();
    const named = /^\{([\s\S]*)\}$/.exec(clause)?.[1].split(',').map((s) => s.trim()).filter(Boolean);
    const typeOnly = !!m[2] || (named !== undefined && named.length > 0 && named.every((s) => s.startsWith('type ')));
    out.push({ from: path, spec: m[4], target: resolve(m[4]), typeOnly });
  }
  for (const m of text.matchAll(BARE_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    out.push({ from: path, spec, target: resolve(spec), typeOnly: false });
  }
  return out;
}

/** Comments out, so a comment that talks about SQL is no finding; `//` only after a space or a line start (URLs keep theirs). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

const SQL_RE = [
  /\bSELECT\s[^;'"`]*?\sFROM\s/i,
  /\bINSERT\s+(OR\s+\w+\s+)?INTO\b/i,
  /\bUPDATE\s+\w+\s+SET\b/i,
  /\bDELETE\s+FROM\b/i,
  /\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|TRIGGER|VIEW)\b/i,
  /\bON\s+CONFLICT\b/i,
  /\bPRAGMA\s+\w+/i,
  /\bBEGIN\s+(IMMEDIATE|EXCLUSIVE|TRANSACTION)\b/i,
];

const inStore = (path: string) => path.startsWith('src/store/');
const DRIVERS = ['better-sqlite3', 'pg', 'pg-pool', 'postgres'];
/** Each driver belongs to its own dialect's folder: SQLite's code never loads pg, nor PostgreSQL's better-sqlite3. */
const DIALECT_OF: Record<string, string> = { 'better-sqlite3': 'src/store/sqlite/', pg: 'src/store/postgres/', 'pg-pool': 'src/store/postgres/' };

/** Everything that breaks the boundary, one line each (empty: none). */
function boundaryProblems(files: Map<string, string>): string[] {
  const problems: string[] = [];
  const imports = [...files].filter(([p]) => p.endsWith('.ts')).flatMap(([p, text]) => importsOf(p, text));

  for (const i of imports) {
    if (!inStore(i.from) && DRIVERS.includes(i.spec)) problems.push(`${i.from}: imports the database driver '${i.spec}' (only src/store/ may)`);
    else if (DIALECT_OF[i.spec] && !i.from.startsWith(DIALECT_OF[i.spec])) problems.push(`${i.from}: imports '${i.spec}' (only ${DIALECT_OF[i.spec]} may)`);
    // The edge opens the store; every other module is handed one and needs only its types.
    if (!inStore(i.from) && i.target && inStore(i.target) && !i.typeOnly && !i.from.startsWith('src/cli/')) {
      problems.push(`${i.from}: imports ${i.target} as a value (only src/cli/ opens the store; others import its types)`);
    }
    if (i.from.startsWith('src/subscribers/') && i.target && inStore(i.target)) problems.push(`${i.from}: imports ${i.target} (the subscribers <-> store loop)`);
  }

  for (const [p, text] of files) {
    if (p.endsWith('.sql') && !/^src\/store\/[^/]+\/migrations\/\d{3,}-[a-z0-9-]+\.sql$/.test(p)) {
      problems.push(`${p}: SQL files belong in a dialect's migrations folder (src/store/DIALECT/migrations/NNN-name.sql)`);
    }
    if (p.endsWith('.ts') && !inStore(p)) {
      const code = withoutComments(text);
      const hit = SQL_RE.map((re) => re.exec(code)?.[0]).find((s) => s !== undefined);
      if (hit) problems.push(`${p}: holds SQL ('${hit.replace(/\s+/g, ' ').trim().slice(0, 40)}'); SQL lives in src/store/`);
    }
  }

  // Run-time import cycles through src/store/ (Tarjan's strongly connected components over value imports).
  const edges = new Map<string, string[]>();
  for (const i of imports) if (i.target && !i.typeOnly && files.has(i.target)) edges.set(i.from, [...(edges.get(i.from) ?? []), i.target]);
  for (const cycle of cycles(edges)) if (cycle.some(inStore)) problems.push(`an import cycle through src/store/ among: ${cycle.sort().join(', ')}`);
  return problems;
}

function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = ''; w !== v; ) scc.push((w = stack.pop()!));
      if (scc.length > 1 || edges.get(v)?.includes(v)) found.push(scc.reverse());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('src/ keeps to the data layer boundary', () => {
  const files = sourceTree();
  assert.ok(files.has('src/store/store.ts') && files.has('src/mail/sender.ts'), 'the tree was read');
  assert.deepEqual(boundaryProblems(files), []);
});

test('each rule fires on a file that breaks it', () => {
  const tree = (extra: Record<string, string>) => new Map([...sourceTree(), ...Object.entries(extra)]);
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'src/mail/cache.ts': "import Database from 'better-sqlite3';\n" }, /^src\/mail\/cache\.ts: imports the database driver 'better-sqlite3'/],
    [{ 'src/web/pool.ts': "import { Pool } from 'pg';\n" }, /^src\/web\/pool\.ts: imports the database driver 'pg'/],
    [{ 'src/store/sqlite/pool.ts': "import pg from 'pg';\n" }, /^src\/store\/sqlite\/pool\.ts: imports 'pg' \(only src\/store\/postgres\/ may\)/],
    [{ 'src/store/open-pg.ts': "import pg from 'pg';\n" }, /^src\/store\/open-pg\.ts: imports 'pg' \(only src\/store\/postgres\/ may\)/],
    [{ 'src/store/postgres/copy.ts': "import Database from 'better-sqlite3';\n" }, /^src\/store\/postgres\/copy\.ts: imports 'better-sqlite3' \(only src\/store\/sqlite\/ may\)/],
    [{ 'src/web/count.ts': "export const q = `select count(*)\n  from subscribers`;\n" }, /^src\/web\/count\.ts: holds SQL \('select count\(\*\) from'\)/],
    [{ 'src/schedule/x.ts': "const s = 'INSERT OR IGNORE INTO holds VALUES (1)';\n" }, /^src\/schedule\/x\.ts: holds SQL/],
    [{ 'src/mail/y.ts': "db.exec('update deliveries set state = 1');\n" }, /^src\/mail\/y\.ts: holds SQL/],
    [{ 'src/store/migrations/004-notes.sql': 'CREATE TABLE notes (x INTEGER);' }, /^src\/store\/migrations\/004-notes\.sql: SQL files belong in a dialect's migrations folder/],
    [{ 'src/mail/open.ts': "import { openStore } from '../store/open.ts';\n" }, /^src\/mail\/open\.ts: imports src\/store\/open\.ts as a value/],
    [{ 'src/subscribers/csv-import.ts': "import type { Store } from '../store/store.ts';\n" }, /^src\/subscribers\/csv-import\.ts: imports src\/store\/store\.ts \(the subscribers <-> store loop\)/],
    [
      // The edge may open the store, but the store must not come back to it: meta -> cli -> open -> sqlite/index -> meta.
      {
        'src/cli/db-path.ts': "import { openStore } from '../store/open.ts';\nexport const dbPath = 'x';\n",
        'src/store/sqlite/meta.ts': `${readFileSync(join(ROOT, 'src/store/sqlite/meta.ts'), 'utf8')}\nimport { dbPath } from '../../cli/db-path.ts';\n`,
      },
      /^an import cycle through src\/store\/ among: src\/cli\/db-path\.ts, src\/store\/open\.ts, src\/store\/sqlite\/index\.ts, src\/store\/sqlite\/meta\.ts$/,
    ],
  ];
  for (const [extra, expected] of cases) {
    const problems = boundaryProblems(tree(extra));
    assert.ok(problems.some((p) => expected.test(p)), `${Object.keys(extra).join(', ')}: expected ${expected}, got ${JSON.stringify(problems)}`);
  }
  // What must not count: SQL words in a comment, a URL's '//', a type-only import of the interface, the CLI opening the store.
  const fine = tree({
    'src/mail/z.ts': "// records 'sent' (an UPDATE ... SET in the store)\nimport type { Store } from '../store/store.ts';\nexport const u = 'http://x/select?from=1';\n",
    'src/cli/w.ts': "import { openStore } from '../store/open.ts';\n",
  });
  assert.deepEqual(boundaryProblems(fine), []);
});
