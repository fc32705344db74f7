// The command line: commander builds the commands; run() is the one place that maps errors to exits.
// Each command's module is imported when that command runs (`await import`), so `--help` and `select`
// start without loading mjml, the web stack, nodemailer or node-cron.
import { Command, CommanderError, Option } from 'commander';
import { escapeControls } from '../control-chars.ts';
import { DigestError, exitCodeFor } from '../errors.ts';
import type { NoteOptions } from './commands/note.ts';
import { registerSubscribersCommands } from './commands/subscribers.ts';
import type { Context, GlobalOptions } from './context.ts';
import type { Io } from './io.ts';

function buildProgram(io: Io, setResult: (p: Promise<number>) => void, opened: Context[] = []): Command {
  const program = new Command('event-digest')
    .description("Turns an organisation's event calendar into a weekly email digest.")
    .option('-c, --config <path>', 'configuration file (default: ./event-digest.config.yaml)')
    .option('--verbose', 'print stack traces of unexpected errors; check also names the config file and database in use')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  const withContext = (fn: (ctx: Context, opts: any) => Promise<number>) =>
    function (this: Command, opts: unknown) {
      setResult(
        import('./context.ts').then(({ makeContext }) => {
          const ctx = makeContext(io, program.opts<GlobalOptions>());
          opened.push(ctx); // run() closes what it opened (the store) when the command is done
          return fn(ctx, opts);
        }),
      );
    };

  program
    .command('init')
    .description('start your own organisation in DIR (default: here): a commented event-digest.config.yaml, a sample events.yaml and subscribers.csv; overwrites nothing')
    .argument('[dir]', 'the folder to write the three files in (created if missing)')
    .option('--tz <zone>', "the list's IANA time zone", 'America/New_York')
    .action((dir: string | undefined, opts: { tz?: string }) => {
      // No context: init needs no configuration (a broken one in the folder must not stop it).
      setResult(
        Promise.all([import('./commands/init.ts'), import('./context.ts')]).then(([{ initCommand }, { clockFromEnv }]) => initCommand(io, clockFromEnv(io.env), dir, opts)),
      );
    });

  program
    .command('check')
    .description('load and validate every event source; one line per finding (PATH:LINE:COL: error|warning: MESSAGE)')
    .action(withContext(async (ctx) => (await import('./commands/check.ts')).checkCommand(ctx)));

  program
    .command('select')
    .description('the events a digest for a date would list')
    .option('--as-of <date>', 'first day of the window, YYYY-MM-DD (default: today in the list zone)')
    .option('--weeks <n>', 'weeks the window covers (default: configuration weeks)')
    .option('--tz <zone>', 'IANA zone of the window (default: configuration timezone)')
    .option('--json', 'print the selection as JSON (the documented format)')
    .option('--since <date>', 'change badges against the issue sent for this date (default: the previous sent issue)')
    .option('--near <place>', 'as a reader at this place gets it: "Columbus, OH", "Berlin, Germany" or a US ZIP code; adds each occurrence\'s distance')
    .option('--radius <n>', 'with --near: how far, in the configured distanceUnit (default: configuration radius)')
    .action(withContext(async (ctx, o) => (await import('./commands/select.ts')).selectCommand(ctx, o)));

  program
    .command('preview')
    .description('render the digest as a reader would get it: DIR/digest.html, digest.txt, digest.eml')
    .option('--as-of <date>', 'first day of the window, YYYY-MM-DD (default: today in the list zone)')
    .option('--tz <zone>', "the reader's IANA zone (default: configuration timezone)")
    .option('--kinds <a,b>', "the kinds the reader wants (default: all)")
    .option('--subscriber <email>', "render as this subscriber gets it: their zone, kinds, place, radius, name and links")
    .option('--near <place>', 'a sample reader at this place: "Columbus, OH", "Berlin, Germany" or a US ZIP code')
    .option('--radius <n>', 'with --near: how far, in the configured distanceUnit (default: configuration radius)')
    .option('--out <dir>', 'where to write the three files', 'out')
    .action(withContext(async (ctx, o) => (await import('./commands/preview.ts')).previewCommand(ctx, o)));

  program
    .command('send')
    .description("build that week's issue and mail it to every active subscriber who has not had it yet")
    .option('--as-of <date>', 'the issue: a slot date of `schedule`, YYYY-MM-DD (default: the latest slot at or before now, as the scheduler would)')
    .option('--off-schedule', 'allow an --as-of date the schedule never fires on')
    .option('--overlap', 'send even though the window overlaps an issue already sent (its readers get those events twice)')
    .option('--dry-run', 'render every message, send and record nothing')
    .option('--to <email>', 'send the issue to one address as a test; records nothing')
    .option('--json', 'print the final counts as one JSON object')
    .action(withContext(async (ctx, o) => (await import('./commands/send.ts')).sendCommand(ctx, o)));

  program
    .command('export-ics')
    .description('export every event as one iCalendar (.ics) file')
    .addOption(new Option('-o, --out <file>', 'write to a file instead of stdout'))
    .addOption(new Option('--private', 'include private places and links (otherwise city and region only, as the public sees them)'))
    .action(withContext(async (ctx, o) => (await import('./commands/export-ics.ts')).exportIcsCommand(ctx, o)));

  registerSubscribersCommands(program, withContext);

  program
    .command('corrections')
    .description('mail a short correction to the readers whose copy of the last issue listed an event since moved or cancelled')
    .option('--dry-run', 'print each change and how many readers it reaches; send and record nothing')
    .option('--json', 'print the summary as one JSON object')
    .action(withContext(async (ctx, o) => (await import('./commands/corrections.ts')).correctionsCommand(ctx, o)));

  program
    .command('schedule')
    .description('the daemon: sends each issue at `schedule` in `timezone` (catching up after downtime), and serves the web app unless --no-web')
    .option('--no-web', 'do not serve the web app')
    .option('--host <host>', "address the web app listens on (default: baseUrl's host when it is a loopback address, else 127.0.0.1)")
    .option('--port <port>', "web app port (default: baseUrl's port, else 3000)")
    .action(withContext(async (ctx, o) => (await import('./commands/schedule.ts')).scheduleCommand(ctx, o)));

  program
    .command('status')
    .description('last and next run, issues and their send counts, whether a send is in progress')
    .option('--json', 'one JSON document')
    .action(withContext(async (ctx, o) => (await import('./commands/schedule.ts')).statusCommand(ctx, o)));

  program
    .command('prune')
    .description('apply config `retention`: older ledger rows keep only their counts, older outbox files go (the daemon does it daily)')
    .option('--json', 'one JSON object: {ledgerRows, outboxFiles}')
    .action(withContext(async (ctx, o) => (await import('./commands/prune.ts')).pruneCommand(ctx, o)));

  program
    .command('hold <issue>')
    .description('keep an issue (the date of a slot of `schedule`, YYYY-MM-DD, or next) from going out until release')
    .action(function (this: Command, issue: string) {
      withContext(async (ctx) => (await import('./commands/schedule.ts')).holdCommand(ctx, issue)).call(this, {});
    });

  program
    .command('release <issue>')
    .description('let a held issue (a slot date, or next) go out')
    .action(function (this: Command, issue: string) {
      withContext(async (ctx) => (await import('./commands/schedule.ts')).releaseCommand(ctx, issue)).call(this, {});
    });

  program
    .command('note <issue>')
    .description("the organizers' note at the top of one issue (its first day, YYYY-MM-DD): Markdown from --file; without options, print it")
    .option('--file <path>', 'a Markdown file (UTF-8, at most 2,000 characters; the same rules as event descriptions)')
    .option('--clear', 'remove the note')
    .action(function (this: Command, issue: string, opts: NoteOptions) {
      withContext(async (ctx) => (await import('./commands/note.ts')).noteCommand(ctx, issue, opts)).call(this, {});
    });

  program
    .command('serve')
    .description('the web app: subscribe, confirm, preferences, unsubscribe, archive, calendars, and the organizer pages under /admin')
    .option('--host <host>', "address to listen on (default: baseUrl's host when it is a loopback address, else 127.0.0.1)")
    .option('--port <port>', "port (default: baseUrl's port, else 3000; 0: any free one)")
    .action(withContext(async (ctx, o) => (await import('./commands/serve.ts')).serveCommand(ctx, o)));

  return program;
}

/**
 * Every line a command prints goes through here: text from a calendar or a subscriber may hold controls (ESC,
 * bidi overrides) that a terminal would act on. Lines meant as one line escape their newlines where they are
 * built (findings, lists, errors); here everything else is escaped, newlines kept for output that is several
 * lines by design (JSON, help).
 */
function terminalSafe(io: Io): Io {
  return { ...io, out: (s) => io.out(escapeControls(s, { keepNewlines: true })), err: (s) => io.err(escapeControls(s, { keepNewlines: true })) };
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function run(argv: string[], rawIo: Io): Promise<number> {
  const io = terminalSafe(rawIo);
  let result: Promise<number> | undefined;
  const opened: Context[] = [];
  const program = buildProgram(io, (p) => (result = p), opened);
  const verbose = argv.includes('--verbose') || !!io.env.DEBUG;
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return result ? await result : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (e instanceof DigestError) {
      for (const d of e.details) io.err(escapeControls(d));
      io.err(`event-digest: ${escapeControls(e.message)}`);
      if (verbose) io.err(String(e.stack));
      return exitCodeFor(e.code);
    }
    const err = e as Error;
    io.err(`event-digest: unexpected error: ${escapeControls(err.message)}`);
    if (verbose) io.err(String(err.stack));
    return 1;
  } finally {
    for (const ctx of opened) await ctx.close();
  }
}
