// Loads templates/ once: the stage-1 Handlebars environments (MJML and text) with their partials and helpers.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface Stage1 {
  mjml: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  /** One HTML partial alone (`glance-body`…), for the parts a reader's place changes (src/places/place-layer.ts). */
  htmlPartial(name: string): HandlebarsTemplateDelegate;
}

let loaded: Stage1 | undefined;

function partials(env: typeof Handlebars, suffix: string): void {
  for (const file of readdirSync(`${TEMPLATES_DIR}partials`)) {
    if (file.endsWith(suffix)) env.registerPartial(file.slice(0, -suffix.length), readFileSync(`${TEMPLATES_DIR}partials/${file}`, 'utf8'));
  }
}

/** The stage-1 templates, compiled once per process (strict: a missing field is an error, not a blank). */
export function stage1(): Stage1 {
  if (loaded) return loaded;
  const html = Handlebars.create();
  partials(html, '.mjml.hbs');
  const text = Handlebars.create();
  partials(text, '.txt.hbs');
  text.registerHelper('upper', (s: string) => s.toUpperCase());
  text.registerHelper('underline', (s: string) => '-'.repeat(s.length));
  const bodies = new Map<string, HandlebarsTemplateDelegate>();
  loaded = {
    htmlPartial: (name) => bodies.get(name) ?? bodies.set(name, html.compile(`{{> ${name}}}`)).get(name)!,
    mjml: html.compile(readFileSync(`${TEMPLATES_DIR}digest.mjml.hbs`, 'utf8')),
    text: text.compile(readFileSync(`${TEMPLATES_DIR}digest.txt.hbs`, 'utf8'), { noEscape: true }),
  };
  return loaded;
}
