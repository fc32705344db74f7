// Cells of a CSV export that a spreadsheet opens: text a spreadsheet would run as a formula is made text.

/**
 * A cell starting with = + - @ (or a tab or CR, which some spreadsheets skip before looking) is a formula
 * to Excel, LibreOffice and Google Sheets: `=HYPERLINK(…)` in a name would run on the organizer's machine.
 * A leading ' makes it text (OWASP "CSV injection"). Shared by every CSV export.
 */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One CSV record (RFC 4180: quoted when needed, quotes doubled), each cell made spreadsheet-safe. */
export function csvRecord(cells: readonly string[]): string {
  return cells
    .map((c) => spreadsheetSafe(c))
    .map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c))
    .join(',');
}
