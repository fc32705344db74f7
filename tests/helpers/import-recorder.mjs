// `node --import ./import-recorder.mjs`: appends every module URL the process resolves to the file named by
// IMPORT_RECORD, so a test can see which packages a command loaded (the hooks run on their own thread).
import { register } from 'node:module';

if (process.env.IMPORT_RECORD) {
  register('./import-recorder-hooks.mjs', import.meta.url, { data: { file: process.env.IMPORT_RECORD } });
}
