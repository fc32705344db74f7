// Loads templates/ once: the stage-1 Handlebars environments (MJML and text) with their partials and helpers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../package-files.ts';

export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

export interface Stage1 {
  mjml: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  /** One HTML partial alone (`glance-body`…), for the parts a reader's place changes (src/places/place-layer.ts). */
  htmlPartial(name: string): HandlebarsTemplateDelegate;
  /** One text partial alone (`body-text`…), likewise (src/places/place-text.ts). */
  textPartial(name: string): HandlebarsTemplateDelegate;
}

let loaded: Stage1 | undefined;

/** `compiled`: registered compiled, not as source: a call that passes its own partials would compile source ones anew each time. */
function partials(env: typeof Handlebars, suffix: string, compiled?: CompileOptions): void {
  for (const file of readdirSync(join(TEMPLATES_DIR, 'partials'))) {
    if (!file.endsWith(suffix)) continue;
    const source = readFileSync(join(TEMPLATES_DIR, 'partials', file), 'utf8');
    env.registerPartial(file.slice(0, -suffix.length), compiled ? env.compile(source, compiled) : source);
  }
}

/** The stage-1 templates, compiled once per process (strict: a missing field is an error, not a blank). */
export function stage1(): Stage1 {
  if (loaded) return loaded;
  const html = Handlebars.create();
  partials(html, '.mjml.hbs');
  const text = Handlebars.create();
  // src/places/place-text.ts passes its own entry-text partial.
  partials(text, '.txt.hbs', { noEscape: true });
  text.registerHelper('upper', (s: string) => s.toUpperCase());
  text.registerHelper('underline', (s: string) => '-'.repeat(s.length));
  const bodies = new Map<string, HandlebarsTemplateDelegate>();
  const alone = (env: typeof Handlebars, name: string, options?: CompileOptions) => bodies.get(name) ?? bodies.set(name, env.compile(`{{> ${name}}}`, options)).get(name)!;
  loaded = {
    htmlPartial: (name) => alone(html, name),
    textPartial: (name) => alone(text, name, { noEscape: true }),
    mjml: html.compile(readFileSync(join(TEMPLATES_DIR, 'digest.mjml.hbs'), 'utf8')),
    text: text.compile(readFileSync(join(TEMPLATES_DIR, 'digest.txt.hbs'), 'utf8'), { noEscape: true }),
  };
  return loaded;
}
