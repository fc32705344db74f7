// Plain-text wrapping at 78 columns (RFC 5322's advice), keeping indentation and never breaking a URL.
export const TEXT_WIDTH = 78;

export function wrapLine(line: string, width = TEXT_WIDTH): string[] {
  if (line.length <= width) return [line];
  const indent = /^(\s*(?:[-*] )?)/.exec(line)?.[1] ?? '';
  const hang = ' '.repeat(indent.length);
  const words = line.slice(indent.length).split(/ +/);
  const out: string[] = [];
  let cur = indent;
  for (const w of words) {
    const lead = out.length === 0 ? indent : hang;
    if (cur.length > lead.length && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = hang + w;
    } else cur = cur.length > lead.length ? `${cur} ${w}` : cur + w;
  }
  out.push(cur);
  return out;
}

export function wrapText(text: string, width = TEXT_WIDTH): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l.replace(/\s+$/, ''), width))
    .join('\n');
}
