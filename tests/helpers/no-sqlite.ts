// Loaded into each test process of the PostgreSQL pass (scripts/test.js preloads it; engines.ts loads it when
// DIGEST_TEST_ENGINE=postgres): a SQLite file used there is a store a test did not move to TEST_ENGINE, which would
// pass on SQLite while the pass claims PostgreSQL. It fails the test instead, naming the file.
import Database from 'better-sqlite3';

const proto = Database.prototype as unknown as Record<string, (this: Database.Database, ...args: unknown[]) => unknown>;
for (const method of ['prepare', 'exec', 'pragma']) {
  const original = proto[method];
  proto[method] = function (this: Database.Database, ...args: unknown[]) {
    if (this.memory) return original.apply(this, args);
    throw new Error(`SQLite file ${this.name} used on the PostgreSQL pass: give the test's store or CLI the folder's TEST_ENGINE database (testDb, engineEnv in tests/helpers/engines.ts), or mark the test sqliteOnly(reason)`);
  };
}
